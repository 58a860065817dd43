# A throwaway PostgreSQL 15 for the benchmark scripts, started as the tests start theirs: in a
# directory of the caller's, on a free 127.0.0.1 port with a private socket, as the postgres user
# when run as root (PostgreSQL refuses root). Source it, then:
#   pg_start DIR     initdb into DIR/data unless it is there, start the server; sets $pg_port
#   pg_url DB        the URL of database DB (user triage_bench, no TLS)
#   pg_createdb DB   creates DB (nothing if it exists)
#   pg_stop          stops it at once (-m immediate), keeping DIR
pg_bin="${TRIAGE_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
[ -x "$pg_bin/initdb" ] || { echo "no initdb in $pg_bin (scripts/install-deps installs postgresql)" >&2; exit 2; }
pg_as=()
if [ "$(id -u)" = 0 ]; then pg_as=(runuser -u postgres --); fi

pg_start() {
    pg_dir="$1"
    mkdir -p "$pg_dir/socket"
    if [ ${#pg_as[@]} -gt 0 ]; then chmod 755 "$pg_dir" "$(dirname "$pg_dir")"; chown postgres "$pg_dir" "$pg_dir/socket"; fi
    if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
        "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U triage_bench -E UTF8 --no-locale >"$pg_dir/initdb.out"
    fi
    pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
        -o "-p $pg_port -k $pg_dir/socket -c listen_addresses=127.0.0.1" start >/dev/null
}

pg_url() { echo "postgres://triage_bench@127.0.0.1:$pg_port/$1?sslmode=disable"; }

pg_createdb() {
    "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U triage_bench -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
        || "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U triage_bench -d postgres -c "CREATE DATABASE $1" >/dev/null
}

pg_stop() { "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true; }
