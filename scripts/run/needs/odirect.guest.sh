#!/bin/bash
# Guest side of "needs: odirect": can files here be opened with O_DIRECT?
python3 - <<'PY' || { echo "not run: O_DIRECT is not supported by $(stat -f -c %T .)"; exit 77; }
import os
fd = os.open(".odirect-probe", os.O_CREAT | os.O_RDWR | os.O_DIRECT, 0o600)
os.close(fd)
os.unlink(".odirect-probe")
PY
