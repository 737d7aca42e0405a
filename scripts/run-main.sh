#!/bin/sh
# run-main.sh ENTENTE: the main job on the built-in CSTO data (make run):
# the organization today, and the Kazakhstan 2022 deployment explained.
set -eu
E=${1:-build/entente}
echo "\$ entente state"
"$E" state
echo
echo "\$ entente why KZ-2022-D"
"$E" why KZ-2022-D
