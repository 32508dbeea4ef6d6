"""Starts a real `qluster serve` for the Python tests.

The server listens on a free loopback port with a fresh data directory; its
admin token is read from the 0600 file serve writes there. QLUSTER_BIN names
the binary (default: bin/qluster in the repository).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("QLUSTER_BIN", os.path.join(ROOT, "bin", "qluster"))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Server is a running `qluster serve`: url, token (the admin's), stop()."""

    def __init__(self, workers=2):
        self.dir = tempfile.mkdtemp(prefix="qluster-pytest-")
        self.log = open(os.path.join(self.dir, "serve.log"), "w")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, QLUSTER_LOG_LEVEL="warn")
        for k in ("QLUSTER_URL", "QLUSTER_TOKEN", "QLUSTER_DATABASE_URL"):
            env.pop(k, None)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", os.path.join(self.dir, "data"),
             "--workers", str(workers), "--sqlite-synchronous", "NORMAL"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        token_file = os.path.join(self.dir, "data", "admin.token")
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"qluster serve exited with {self.proc.returncode}: {self.logs()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as r:
                    if r.status == 200 and os.path.exists(token_file):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("qluster serve did not become ready in 30 s: " + self.logs())
            time.sleep(0.05)
        mode = os.stat(token_file).st_mode & 0o777
        if mode != 0o600:
            raise RuntimeError(f"{token_file} has mode {oct(mode)}, want 0o600")
        with open(token_file) as f:
            self.token = f.read().strip()

    def logs(self):
        self.log.flush()
        with open(os.path.join(self.dir, "serve.log")) as f:
            return f.read()[-4000:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
