"""N ``streamlit run app.py`` replicas behind Debian's nginx on 127.0.0.1, with the
deployment's own nginx config (deploy/nginx.conf.template), for tests/e2e/test_replicas.py
and ``scripts/load_test.py --replicas N``.

The template is filled in the way the official nginx image's template step does it
(``${VAR}`` replaced by the values given; nginx's own ``$variables`` untouched) and
included inside an ``http { }`` of a small main config whose pid file, logs and
temporary folders are in a private folder, so nginx runs without root and touches
nothing outside it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e import server as srv

TEMPLATE = srv.ROOT / "deploy" / "nginx.conf.template"
NGINX = os.environ.get("TOKENSHARE_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
# nginx's own port: beside the app servers' range (tests/e2e/server.py PORTS).
PROXY_PORTS = range(8540, 8560)
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def missing_nginx() -> str | None:
    if not (os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)):
        return f"no nginx at {NGINX}; run `bash scripts/test.sh` (it installs Debian's nginx)"
    return None


def render(template: str, values: dict[str, str]) -> str:
    """``${NAME}`` -> values[NAME] for every placeholder; a placeholder without a value
    is an error (envsubst would leave it empty and nginx would fail later, less clearly)."""
    missing = sorted({m for m in PLACEHOLDER.findall(template) if m not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)} in {TEMPLATE.name}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def main_config(folder: Path, site: Path) -> str:
    """A main nginx.conf for an unprivileged nginx whose state is all under ``folder``."""
    lines = [
        "daemon off;",
        "worker_processes 1;",
        # a reload (SIGHUP) closes the old worker's websockets after 2 s: browsers then
        # reconnect through the new one (the replica test uses this to force a reconnect)
        "worker_shutdown_timeout 2s;",
        f"pid {folder / 'nginx.pid'};",
        f"error_log {folder / 'error.log'} notice;",
        "events { worker_connections 1024; }",
        "http {",
        f"    client_body_temp_path {folder / 'client_body'};",
        f"    proxy_temp_path {folder / 'proxy'};",
        f"    fastcgi_temp_path {folder / 'fastcgi'};",
        f"    uwsgi_temp_path {folder / 'uwsgi'};",
        f"    scgi_temp_path {folder / 'scgi'};",
        f"    include {site};",
        "}",
    ]
    if os.geteuid() == 0:
        # as root nginx would switch its workers to `nobody`, who cannot write here
        lines.insert(0, "user root;")
    return "\n".join(lines) + "\n"


@dataclass
class Cluster:
    """nginx on ``port`` in front of ``replicas``; ``stop()`` ends them all (and only them)."""

    port: int
    nginx: subprocess.Popen
    folder: Path
    replicas: list[srv.Server] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def upstream_of(self, replica: srv.Server) -> str:
        return f"127.0.0.1:{replica.port}"

    def log_entries(self) -> list[dict[str, str]]:
        """The access log's requests: request line, status, sticky key, upstream."""
        out = []
        try:
            text = self.access_log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return out
        pattern = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ sticky=(?P<sticky>\S*) upstream=(?P<upstream>\S*)')
        for line in text.splitlines():
            m = pattern.search(line)
            if m:
                out.append(m.groupdict())
        return out

    def reload(self) -> None:
        """What an operator's `nginx -s reload` does: new workers take new connections,
        the old ones close theirs (websockets included, after worker_shutdown_timeout)."""
        os.kill(self.nginx.pid, signal.SIGHUP)

    def stop(self) -> None:
        if self.nginx.poll() is None:
            try:
                os.killpg(self.nginx.pid, signal.SIGQUIT)  # graceful: finish what is in flight
                self.nginx.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
                self.nginx.wait(timeout=10)
        for r in self.replicas:
            r.stop()

    def log(self) -> str:
        parts = [f"--- nginx error.log\n{_read(self.folder / 'error.log')}"]
        parts += [f"--- replica {r.port}\n{r.log()[-3000:]}" for r in self.replicas]
        return "\n".join(parts)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def start_cluster(n: int, env: dict, folder: Path, *, timeout: float = 90.0) -> Cluster:
    """Start ``n`` replicas (in parallel, each on a free port) and nginx in front of
    them; return once nginx answers /_stcore/health with "ok"."""
    problem = missing_nginx()
    if problem:
        raise RuntimeError(problem)
    folder.mkdir(parents=True, exist_ok=True)
    proxy_port = srv.free_port(PROXY_PORTS)
    with ThreadPoolExecutor(max_workers=n) as pool:
        # each on a free port of its own (start_server tries another when two meet)
        futures = [pool.submit(srv.start_server, env, folder / f"replica-{i + 1}.log", timeout=timeout)
                   for i in range(n)]
        replicas, errors = [], []
        for f in futures:
            try:
                replicas.append(f.result())
            except Exception as exc:  # noqa: BLE001 - stop the others, then report
                errors.append(exc)
    if errors:
        for r in replicas:
            r.stop()
        raise errors[0]
    site = folder / "tokenshare.conf"
    site.write_text(render(TEMPLATE.read_text(encoding="utf-8"), {
        "TOKENSHARE_LISTEN": f"127.0.0.1:{proxy_port}",
        "TOKENSHARE_UPSTREAMS": " ".join(f"server 127.0.0.1:{r.port};" for r in replicas),
        "TOKENSHARE_ACCESS_LOG": str(folder / "access.log"),
    }), encoding="utf-8")
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        for r in replicas:
            r.stop()
        raise RuntimeError(f"nginx -t refused the config:\n{check.stderr}")
    err = open(folder / "nginx.stderr", "wb")
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)], stdout=err, stderr=subprocess.STDOUT,
                            start_new_session=True)
    err.close()
    cluster = Cluster(proxy_port, proc, folder, replicas)
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            cluster.stop()
            raise RuntimeError(f"nginx exited with {proc.returncode}:\n{_read(folder / 'nginx.stderr')}\n{cluster.log()}")
        if srv.health_ok(cluster.url):
            return cluster
        if time.monotonic() > deadline:
            cluster.stop()
            raise RuntimeError(f"nginx did not answer /_stcore/health in 20 s:\n{cluster.log()}")
        time.sleep(0.2)
