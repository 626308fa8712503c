"""The analysis of a snapshot round (pure: pandas/geopandas in and out, never Django).

Each step is a plain function an analyst can call from a notebook; ``pipeline.run_analysis``
runs them all, ``disclosure`` makes the result safe to publish, ``cli`` writes it to files.
"""
