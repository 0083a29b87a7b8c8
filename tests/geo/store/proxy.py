"""A Unix-socket forwarder that stands between a store and its PostgreSQL server, so a test
can take the database away mid-session (:meth:`SocketProxy.cut`) and bring it back
(:meth:`SocketProxy.start`) without stopping the server others use."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

__all__ = ["SocketProxy"]


def server_socket(url: str) -> str:
    """The path of the Unix socket a ``postgresql+psycopg://…?host=/dir`` URL connects to."""
    parsed = make_url(url)
    host = parsed.query.get("host")
    if not isinstance(host, str) or not host.startswith("/"):
        msg = f"{url!r} does not connect through a Unix socket directory (?host=/dir)."
        raise ValueError(msg)
    return f"{host}/.s.PGSQL.{parsed.port or 5432}"


class SocketProxy:
    """Forwards ``<folder>/.s.PGSQL.5432`` to the server's socket, byte for byte."""

    def __init__(self, target: str, folder: Path) -> None:
        self.target = target
        self.folder = folder
        self.path = str(folder / ".s.PGSQL.5432")
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def url(self, url: str) -> str:
        """``url`` with its socket directory replaced by this proxy's."""
        return make_url(url).update_query_dict({"host": str(self.folder)}).render_as_string(
            hide_password=False)

    def start(self) -> None:
        """Listen (again) and forward every new connection."""
        Path(self.path).unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Stop listening and drop every open connection: the database is gone."""
        with self._lock:
            sockets, self._open = self._open, []
            listener, self._listener = self._listener, None
        for s in [*sockets, *([listener] if listener else [])]:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        Path(self.path).unlink(missing_ok=True)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(self.target)
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
