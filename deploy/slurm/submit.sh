#!/usr/bin/env bash
# submit.sh INPUT OUT [TASKS]: submits the worker array and, after it, the merge step.
#   PRECIS_STORE=postgres://precis@db/precis PGPASSWORD=… MOONSHOT_API_KEY=… PRECIS_PIPELINE=kimi \
#     deploy/slurm/submit.sh /shared/in /shared/out 8
# sbatch passes the environment on (--export=ALL), so the key and password never appear in a script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PRECIS_INPUT=$1 PRECIS_OUT=$2
tasks=${3:-4}
array=$(sbatch --parsable --array="0-$((tasks - 1))" "$here/precis-array.sbatch")
array=${array%%;*}
merge=$(PRECIS_ARRAY_JOB_ID=$array sbatch --parsable --dependency="afterok:$array" --export=ALL,PRECIS_ARRAY_JOB_ID="$array" "$here/precis-merge.sbatch")
echo "submitted array $array ($tasks tasks) and merge ${merge%%;*}"
