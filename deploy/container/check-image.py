#!/usr/bin/env python3
"""Checks the image tar the Maven build wrote (./mvnw -Pimage ... package; docs/deploy.md):
its config (entrypoint, arguments, user, ports) and that the entrypoint's classpath, taken from
the image's own layers, starts the gateway with the JDK on PATH. CI builds it on `scratch`
(no registry there), so the JRE of the real base is not part of what this proves.

usage: check-image.py gateway/target/gatehouse-image.tar
"""
import json
import os
import subprocess
import sys
import tarfile
import tempfile


def fail(message):
    print("image: " + message)
    print("image: 0 passed, 1 failed")
    sys.exit(1)


def extract(archive, into):
    # filter= (no links out, no devices) exists from Python 3.11.4; Debian 12 has 3.11.2
    if hasattr(tarfile, "data_filter"):
        archive.extractall(into, filter="data")
    else:
        archive.extractall(into)


def main(path):
    with tempfile.TemporaryDirectory(prefix="gatehouse-image-") as work:
        with tarfile.open(path) as image:
            extract(image, work)
        manifest = json.load(open(os.path.join(work, "manifest.json")))[0]
        if manifest["RepoTags"] != ["gatehouse:0.1.0"]:
            fail("tagged %s, not gatehouse:0.1.0 (deploy/kubernetes uses that)" % manifest["RepoTags"])
        config = json.load(open(os.path.join(work, manifest["Config"])))["config"]
        entry = config.get("Entrypoint") or []
        if entry[:1] != ["java"] or entry[-1] != "dev.gatehouse.gateway.Gatehouse":
            fail("unexpected entrypoint %s" % entry)
        if config.get("Cmd", [])[:2] != ["serve", "--config"]:
            fail("the default arguments do not start `serve`: %s" % config.get("Cmd"))
        if config.get("User") != "10001":
            fail("runs as %r, not the unprivileged uid 10001" % config.get("User"))
        if set(config.get("ExposedPorts", {})) != {"6432/tcp", "8080/tcp"}:
            fail("exposes %s" % sorted(config.get("ExposedPorts", {})))
        root = os.path.join(work, "root")
        os.makedirs(root)
        for layer in manifest["Layers"]:
            with tarfile.open(os.path.join(work, layer)) as t:
                extract(t, root)
        # The entrypoint reads its classpath from a file of absolute paths inside the image.
        cp_at = entry.index("-cp") + 1
        cp_file = os.path.join(root, entry[cp_at].lstrip("@").lstrip("/"))
        entries = open(cp_file).read().strip().split(":")
        local = ":".join(os.path.join(root, e.lstrip("/")) for e in entries)
        missing = [e for e in local.split(":") if not os.path.exists(e)]
        if missing:
            fail("classpath entries missing from the layers: %s" % missing[:3])
        flags = [f for f in entry[1:cp_at - 1]]
        run = subprocess.run(
            ["java", *flags, "-cp", local, entry[-1], "--version"],
            capture_output=True, text=True, timeout=120)
        if run.returncode != 0 or "gatehouse 0.1.0" not in run.stdout:
            fail("the entrypoint did not start the gateway: %s %s" % (run.stdout, run.stderr))
        print("image: %d layers, entrypoint starts `%s`" % (len(manifest["Layers"]), run.stdout.strip()))
        print("image: 1 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
