"""The real service in a process of its own, on a database the test shares with it.

Neither test uses pytest-django's test database: each makes a database of its own (a SQLite
file, or a PostgreSQL database when DATABASE_URL says so), migrates it, points the server at
it and, for the test's own queries, puts a connection to it in place of the default one.
Everything (server processes, files, the database) is gone when the test ends.
"""

import shutil

import pytest

from .service import Server, service_database


@pytest.fixture
def shared_database(django_db_blocker, tmp_path):
    """The DATABASE_URL of a new, migrated database that this test's ORM queries go to."""
    with django_db_blocker.unblock(), service_database(tmp_path) as url:
        yield url


@pytest.fixture
def start_server(shared_database, photo_storage, tmp_path):
    """Start the service (gunicorn) on 127.0.0.1 against the shared database and photo folder."""
    servers: list[Server] = []

    def start(**options) -> Server:
        server = Server(
            database_url=shared_database,
            photo_dir=photo_storage,
            log_path=tmp_path / f"server-{len(servers)}.log",
            **options,
        )
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()
    # The photos are megabytes each; the servers' logs stay with the test's other files.
    shutil.rmtree(photo_storage, ignore_errors=True)
