import sys

from jeugdhulp.cli import main

sys.exit(main())
