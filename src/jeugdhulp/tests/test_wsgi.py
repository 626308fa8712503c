"""The WSGI entry point."""

import gc


def test_the_loaded_app_is_left_out_of_garbage_collection():
    from jeugdhulp import wsgi

    try:
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
