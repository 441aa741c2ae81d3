# Sourced by ./tensorinit and benchmarks/warm-probe.sh: tensorinit_jvm_options FILE sets the array JVM_OPTS to the JVM
# options listed in FILE (scripts/jvm-options: one per line; blank lines and lines starting with # are skipped), so the
# probe starts its JVMs with exactly the launcher's options. (The packaged GPU check reads its copy itself: it ships
# without scripts/.)
tensorinit_jvm_options() {
  local opt
  JVM_OPTS=()
  while IFS= read -r opt || [ -n "$opt" ]; do
    opt=${opt%$'\r'}   # a checkout with CRLF line ends
    case "$opt" in ''|'#'*) ;; *) JVM_OPTS+=("$opt") ;; esac
  done < "$1"
}
