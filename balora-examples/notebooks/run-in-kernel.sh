#!/usr/bin/env bash
# Executes the notebooks, unchanged, in a real Jupyter kernel: rapaio-jupyter-kernel 3.0.1 (from Maven Central) on a
# Temurin JDK, through `jupyter nbconvert --to notebook --execute`. Exits non-zero when any cell fails, when a cell
# shows a stray value (an object's default toString, e.g. java.io.PrintStream@1b2c3d), or when 03 shows no image.
# A kernel that does not start is retried (one start in five to seven fails here: it dies or its shell channel never
# answers kernel_info), up to 4 starts; a failing cell never is.
#
# Needs: Debian/Ubuntu's jupyter-nbconvert, python3-nbclient, python3-jupyter-client (.ci/run installs them),
# Maven (to fetch the kernel once), and balora-examples/target/balora.jar (`mvn -B -q -DskipTests package`).
#
# Usage, from anywhere:
#   balora-examples/notebooks/run-in-kernel.sh [NOTEBOOK.ipynb ...]   every notebook here, or the ones named
#   balora-examples/notebooks/run-in-kernel.sh --maven-route          the Maven way onto the class path, see below
# --maven-route runs `mvn install` into a private local repository (target/kernel-m2: your ~/.m2/repository linked
# in, dev/balora private, so your ~/.m2 keeps its snapshots), then runs 01 with its first cell replaced by the
# rapaio lines that cell documents in its comments, with user.home at a folder whose .m2/repository is that one.
#
# Settings (environment):
#   KERNEL_JAVA_HOME   the kernel's JDK (default: the newest /usr/lib/jvm/temurin-*, else $JAVA_HOME, else PATH)
#   NOTEBOOKS_OUT      where the executed notebooks and logs go (default: balora-examples/target/notebooks)
#   CELL_TIMEOUT       seconds one cell may take (default 1800)
#   KERNEL_STARTS      kernel start attempts per notebook (default 4)
#   KERNEL_JAVA_OPTS   extra JVM options for the kernel (it has -Xmx2g -Djava.awt.headless=true)
#   BALORA_SHARED      the shared data folder (default: `shared` beside the repository, as the notebooks say)
#   OMP_NUM_THREADS    PyTorch's intra-op threads (default 1, see below)
# The kernel is registered as "java" (the notebooks' kernelspec) in a private JUPYTER_PATH under target/: nothing
# is installed into your Jupyter setup, and Maven only adds the kernel jar to its download cache.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
examples=$(dirname "$here")
root=$(dirname "$examples")
RJK_VERSION=3.0.1
out=${NOTEBOOKS_OUT:-$examples/target/notebooks}
kernel_home=$examples/target/jupyter-kernel
cell_timeout=${CELL_TIMEOUT:-1800}
starts=${KERNEL_STARTS:-4}
java_opts=${KERNEL_JAVA_OPTS:-}

die() { echo "run-in-kernel: $*" >&2; exit 2; }
# The Python that jupyter runs on (Debian's, not a pyenv or venv python3 earlier on PATH).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)

command -v jupyter-nbconvert >/dev/null \
    || die "jupyter-nbconvert is missing (apt-get install jupyter-nbconvert python3-nbclient python3-jupyter-client)"
"$py" -c 'import nbclient, jupyter_client' 2>/dev/null || die "python3-nbclient / python3-jupyter-client are missing"
[ -f "$examples/target/balora.jar" ] \
    || die "$examples/target/balora.jar is missing: run \`mvn -B -q -DskipTests package\` in the repository"

# The kernel's JDK.
java_home=${KERNEL_JAVA_HOME:-}
if [ -z "$java_home" ]; then
    java_home=$(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$java_home" ] && [ -n "${JAVA_HOME:-}" ]; then java_home=$JAVA_HOME; fi
if [ -n "$java_home" ]; then java=$java_home/bin/java; else java=$(command -v java) || die "no JDK found"; fi
[ -x "$java" ] || die "$java is not executable (set KERNEL_JAVA_HOME)"
java_version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')

# The kernel, once, through Maven (from a folder without a pom, so the reactor is not involved).
jar=$kernel_home/rapaio-jupyter-kernel-$RJK_VERSION.jar
if [ ! -f "$jar" ]; then
    mkdir -p "$kernel_home"
    (cd "$kernel_home" && mvn -B -q dependency:copy -Dartifact=io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION \
        -DoutputDirectory="$kernel_home") || die "could not fetch io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION"
fi

if [ "${1:-}" = --maven-route ]; then
    shift
    m2=$examples/target/kernel-m2
    home=$examples/target/kernel-home
    user_m2=${MAVEN_REPOSITORY:-$HOME/.m2/repository}
    [ -d "$user_m2" ] || die "no local Maven repository at $user_m2 (set MAVEN_REPOSITORY)"
    rm -rf "$m2" "$home" "$kernel_home/mima_cache"
    mkdir -p "$m2/dev/balora" "$home/.m2"
    for e in "$user_m2"/*; do [ "$(basename "$e")" = dev ] || ln -s "$e" "$m2/"; done
    for e in "$user_m2"/dev/*; do
        if [ -e "$e" ] && [ "$(basename "$e")" != balora ]; then ln -s "$e" "$m2/dev/"; fi
    done
    ln -s "$m2" "$home/.m2/repository"
    echo "run-in-kernel: mvn install into $m2"
    (cd "$root" && { mvn -B -q -o -DskipTests -Dmaven.repo.local="$m2" install >"$m2.log" 2>&1 \
        || mvn -B -q -DskipTests -Dmaven.repo.local="$m2" install >"$m2.log" 2>&1; }) \
        || { tail -n 40 "$m2.log" >&2; die "mvn install into $m2 failed"; }
    nbdir=$examples/target/kernel-maven-route
    mkdir -p "$nbdir"
    "$py" - "$here/01-embed-and-adapt.ipynb" "$nbdir/01-maven-route.ipynb" <<'EOF'
import json, sys
src, dst = sys.argv[1:]
nb = json.load(open(src))
first = "".join(nb["cells"][1]["source"]).splitlines()
magics = [l.split("//", 1)[1].strip() for l in first if l.lstrip("/ ").startswith("%dependency ")]
assert len(magics) >= 3 and magics[-1] == "%dependency /resolve", first
nb["cells"][1]["source"] = ("// rapaio-jupyter-kernel's Maven route, as the first cell documents it:\n"
                            + "\n".join(magics))
json.dump(nb, open(dst, "w"), indent=1)
EOF
    java_opts="-Duser.home=$home $java_opts"
    # The usual caches (DJL's PyTorch library, balora's imported MiniLM), although user.home moved.
    export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.djl.ai} BALORA_CACHE=${BALORA_CACHE:-$HOME/.cache/balora}
    set -- "$nbdir/01-maven-route.ipynb"
    out=$nbdir/out
fi

# Register it as kernel "java", privately (JUPYTER_PATH comes first in Jupyter's search).
spec=$kernel_home/jupyter/kernels/java
mkdir -p "$spec"
"$py" - "$spec/kernel.json" "$java" "$jar" "$RJK_VERSION" "$java_version" "$java_opts" <<'EOF'
import json, shlex, sys
path, java, jar, version, jdk, opts = sys.argv[1:]
json.dump({
    "argv": [java, "-Xmx2g", "-Djava.awt.headless=true", *shlex.split(opts), "-jar", jar, "{connection_file}"],
    "display_name": "Java",
    "language": "java",
    "interrupt_mode": "message",
    # rapaio's defaults; the Maven cache (mima_cache) is relative to the kernel jar's folder
    "env": {"RJK_CLASSPATH": "", "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1",
            "RJK_MIMA_CACHE": "mima_cache"},
    "metadata": {"kernel": "rapaio-jupyter-kernel " + version, "jdk": jdk},
}, open(path, "w"), indent=1)
EOF
export JUPYTER_PATH=$kernel_home/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}
export DJL_OFFLINE=${DJL_OFFLINE:-true} OPT_OUT_TRACKING=true DJL_DISABLE_PROGRESS_BAR=true
# One PyTorch intra-op thread unless you say otherwise, as in the module's tests: on shared CPUs OpenMP threads
# spin-wait on each other and 03's steps take ten times as long (5 s instead of 0.5 s per step on 2 busy cores).
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
if [ -n "${BALORA_SHARED:-}" ]; then export BALORA_SHARED; fi

if [ $# -eq 0 ]; then set -- "$here"/*.ipynb; fi
mkdir -p "$out"
echo "run-in-kernel: rapaio-jupyter-kernel $RJK_VERSION as kernel \"java\" on $java ($java_version); results in $out"

failed=()
for nb in "$@"; do
    name=$(basename "$nb")
    log=$out/${name%.ipynb}.log
    ok=
    for attempt in $(seq 1 "$starts"); do
        t0=$(date +%s)
        if jupyter nbconvert --to notebook --execute --output-dir "$out" \
            --ExecutePreprocessor.timeout="$cell_timeout" --ExecutePreprocessor.startup_timeout=60 \
            "$nb" >"$log" 2>&1; then
            echo "  $name: executed in $(( $(date +%s) - t0 )) s"
            ok=1
            break
        fi
        # Retry only a kernel that did not start; a cell error (or a kernel that died in a cell) is final.
        if ! grep -q CellExecutionError "$log" \
            && grep -qE "Kernel didn't respond in|Kernel died before replying to kernel_info" "$log"; then
            echo "  $name: the kernel did not start within 60 s (attempt $attempt of $starts; log: $log.start-$attempt)"
            cp "$log" "$log.start-$attempt"
            continue
        fi
        break
    done
    if [ -z "$ok" ]; then
        echo "  $name: FAILED; nbconvert said (full log: $log):" >&2
        tail -n 60 "$log" | sed 's/^/    /' >&2
        failed+=("$name")
        continue
    fi
    # What the executed notebook shows: no error, no stray value; the fine-tune notebook shows an image.
    if ! "$py" - "$out/$name" <<'EOF'
import json, re, sys
path = sys.argv[1]
nb = json.load(open(path))
stray = re.compile(r"^[\w.$]+@[0-9a-f]{4,}$")   # Object.toString(), e.g. java.io.PrintStream@1b2c3d
problems, images = [], 0
for i, cell in enumerate(nb["cells"], 1):
    for o in cell.get("outputs", []):
        if o["output_type"] == "error":
            problems.append(f"cell {i}: {o.get('ename')}: {o.get('evalue')}")
        data = o.get("data", {})
        text = "".join(data.get("text/plain", "")) or re.sub(r"<[^>]*>", "", "".join(data.get("text/html", "")))
        if o["output_type"] in ("execute_result", "display_data") and stray.match(text.strip()):
            problems.append(f"cell {i} shows a stray value: {text.strip()}")
        images += any(k.startswith("image/") for k in data)
if "fine-tune" in path and images == 0:
    problems.append("no image output (the loss curve should be shown inline)")
for p in problems:
    print("    " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
    then
        echo "  $name: FAILED the output checks ($out/$name)" >&2
        failed+=("$name")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "run-in-kernel: ${#failed[@]} notebook(s) failed: ${failed[*]}" >&2
    exit 1
fi
echo "run-in-kernel: all $# notebook(s) ran in the kernel"
