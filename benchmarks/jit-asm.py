#!/usr/bin/env python3
"""The C2 machine code of the CPU kernel's methods, disassembled, with a count of each instruction.

Why this and not hsdis: JDK 25 needs an hsdis with decode_instructions_virtual, and the one Debian packages
(libhsdis0-fcml) has only the old entry point, so -XX:+PrintAssembly prints hex. This script runs a JVM that
prints the last C2 compile of each method asked for, cuts the hex out of that output and disassembles it with
objdump (binutils). Usage, from the repository root after a build (mvn install -DskipTests):

  benchmarks/jit-asm.py philox log32 giles32      # methods of dev.tensorinit.cpu.VectorKernel
  benchmarks/jit-asm.py --loops philox            # only the instructions of each loop (backward jump) body
  benchmarks/jit-asm.py --log run.log philox      # from a PrintAssembly log made elsewhere

The JVM it runs is VectorKernelStagesMain (each kernel pass on an in-cache tile), so the code is what the kernel
gets once warm; JAVA_HOME (or scripts/find-jdk.sh) picks the JDK.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASS = "dev.tensorinit.cpu.VectorKernel"


def java_home():
    if os.environ.get("JAVA_HOME") and os.path.exists(os.path.join(os.environ["JAVA_HOME"], "bin", "java")):
        return os.environ["JAVA_HOME"]
    out = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/find-jdk.sh' >/dev/null && echo $JAVA_HOME"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def run_jvm(methods):
    """PrintAssembly output of a VectorKernelStagesMain run that compiles the methods."""
    cp = ":".join(os.path.join(ROOT, p) for p in
                  ("cpu-backend/target/classes", "cpu-backend/target/test-classes", "core/target/classes"))
    cmd = [os.path.join(java_home(), "bin", "java"), "--add-modules", "jdk.incubator.vector",
           "--enable-native-access=ALL-UNNAMED", "-XX:+UnlockDiagnosticVMOptions", "-XX:CompileCommand=quiet"]
    cmd += [f"-XX:CompileCommand=print,{CLASS}::{m}" for m in methods]
    cmd += ["-cp", cp, "dev.tensorinit.cpu.VectorKernelStagesMain", "3"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def last_c2_code(log, method):
    """The bytes of the last standard (not OSR) C2 compile of CLASS::method in a PrintAssembly log."""
    lines = log.split("\n")
    heads = [i for i, l in enumerate(lines)
             if l.startswith("Compiled method (c2)") and f"::{method} (" in l and " % " not in l]
    if not heads:
        return None
    i = heads[-1]
    while i < len(lines) and not lines[i].startswith("[MachCode]"):
        i += 1
    code = bytearray()
    for l in lines[i + 1:]:
        if l.startswith("[/MachCode]") or l.startswith("[Stub Code]") or l.startswith("Compiled method"):
            break
        m = re.match(r"\s+0x[0-9a-f]+:\s+([0-9a-f| ]+)$", l)
        if m:
            code += bytes.fromhex(m.group(1).replace("|", "").replace(" ", ""))
    return bytes(code)


def disassemble(code):
    """(offset, mnemonic, text) per instruction, by objdump."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(code)
        f.flush()
        out = subprocess.run(["objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", f.name],
                             capture_output=True, text=True, check=True).stdout
    rows = []
    for l in out.split("\n"):
        parts = l.split("\t")  # "  addr:", "bytes", "mnemonic operands"; a long instruction's extra bytes have no third
        m = re.match(r"\s+([0-9a-f]+):$", parts[0])
        if m and len(parts) >= 3 and parts[2].strip():
            text = " ".join(parts[2].split())
            rows.append((int(m.group(1), 16), text.split(" ")[0], text))
    return rows


def loops(rows):
    """Bodies of backward jumps: (start, end, rows in between)."""
    found = []
    for off, mnem, text in rows:
        m = re.match(r"j\w+\s+0x([0-9a-f]+)$", text)
        if m and int(m.group(1), 16) < off:
            target = int(m.group(1), 16)
            found.append((target, off, [r for r in rows if target <= r[0] <= off]))
    return found


def histogram(rows):
    return ", ".join(f"{n} {k}" for k, n in collections.Counter(r[1] for r in rows).most_common())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("methods", nargs="+", help=f"method names of {CLASS}")
    ap.add_argument("--log", help="a PrintAssembly log to read instead of running a JVM")
    ap.add_argument("--loops", action="store_true", help="only loop bodies, each with its instruction counts")
    ap.add_argument("--full", action="store_true", help="print every instruction, not only the counts")
    a = ap.parse_args()
    log = open(a.log).read() if a.log else run_jvm(a.methods)
    status = 0
    for m in a.methods:
        code = last_c2_code(log, m)
        if not code:
            print(f"{m}: no C2 compile in the log", file=sys.stderr)
            status = 1
            continue
        rows = disassemble(code)
        print(f"== {CLASS}::{m}: {len(code)} bytes, {len(rows)} instructions")
        print("   " + histogram(rows))
        if a.loops:
            for start, end, body in loops(rows):
                print(f"   loop {start:#x}-{end:#x}: {len(body)} instructions: {histogram(body)}")
                if a.full:
                    for r in body:
                        print(f"      {r[0]:5x}  {r[2]}")
        elif a.full:
            for r in rows:
                print(f"   {r[0]:5x}  {r[2]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
