#!/bin/sh
# run-main.sh ENTENTE: the main job on the built-in CSTO data (make run):
# the organization today, the Kazakhstan 2022 deployment explained, and the
# same crisis played 100,000 times by the simulator.
set -eu
E=${1:-build/entente}
echo "\$ entente state"
"$E" state
echo
echo "\$ entente why KZ-2022-D"
"$E" why KZ-2022-D
echo
echo "\$ entente simulate --host KZ --at 2022-01-05 --severity 0.8 --runs 100000"
"$E" simulate --host KZ --at 2022-01-05 --severity 0.8 --runs 100000
