#!/usr/bin/env python3
"""Where a confirm's application CPU goes, from a JFR recording of the measured run (bench/confirm/profile.sh).

Each execution sample is given to one subsystem: the innermost frame of its stack that belongs to a known
library (the HTTP client to the PG, jOOQ, Tomcat, Jackson, ...), else "JDK only". Prints the share of every
subsystem, then for one package prefix (second argument, optional) the callers that lead into it.
Usage: bench/confirm/jfr-breakdown.py recording.jfr [io.micrometer]   (JFR_TOOL: the jfr binary, default: jfr on the PATH)
"""
import collections
import json
import os
import subprocess
import sys

SUBSYSTEMS = [
    ("PG client (JDK HttpClient)", "jdk.internal.net.http"), ("jOOQ (render, bind, fetch)", "org.jooq"),
    ("PostgreSQL JDBC", "org.postgresql"), ("Hikari", "com.zaxxer"), ("Jackson", "tools.jackson"),
    ("Micrometer", "io.micrometer"), ("Prometheus client", "io.prometheus"), ("logging", "ch.qos.logback"),
    ("Spring Security", "org.springframework.security"), ("Spring transactions", "org.springframework.transaction"),
    ("Spring JDBC", "org.springframework.jdbc"), ("Spring MVC", "org.springframework.web"),
    ("Spring (AOP, beans, core)", "org.springframework"), ("Tomcat", "org.apache"), ("project code", "io.unbreakable"),
]


def frames(event):
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
            for f in event["values"]["stackTrace"]["frames"]]


def main():
    recording = sys.argv[1]
    jfr = os.environ.get("JFR_TOOL", "jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "256", "--events", "jdk.ExecutionSample", recording],
                         capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = len(events)
    if total == 0:
        sys.exit("no execution samples in " + recording)
    shares = collections.Counter()
    for event in events:
        owner = next((name for frame in frames(event) for name, prefix in SUBSYSTEMS if frame.startswith(prefix)), "JDK only")
        shares[owner] += 1
    print(f"{total} execution samples")
    for name, count in shares.most_common():
        print(f"{100 * count / total:5.1f} %  {name}")
    if len(sys.argv) > 2:
        prefix, callers, inside = sys.argv[2], collections.Counter(), 0
        for event in events:
            stack = frames(event)
            hits = [i for i, frame in enumerate(stack) if frame.startswith(prefix)]
            if not hits:
                continue
            inside += 1
            outer = [f for f in stack[max(hits) + 1:] if not f.startswith(("java.", "jdk.", "sun."))][:2]
            callers[" <- ".join(outer)] += 1
        print(f"\n{100 * inside / total:.1f} % of samples have {prefix} on the stack; entered from:")
        for caller, count in callers.most_common(12):
            print(f"{100 * count / total:5.1f} %  {caller}")


if __name__ == "__main__":
    main()
