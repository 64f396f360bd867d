#!/usr/bin/env python3
"""Writes the default onewindowd.ini of the packages from installer/onewindowd.ini.

installer/onewindowd.ini is the example of a centre in production (PostgreSQL, TLS, two
peers, two accounts). The packaged default must start on its own, so:

- every section and key of the example stays, so that the default shows what can be set;
- the node's database, centre and listening address are replaced (an SQLite file in the
  data folder, a placeholder centre, plain HTTP on loopback), the example's value kept as
  a comment under a comment saying why; the comment lines right above a replaced key are
  the example's reasons for its value, so they give way;
- the TLS files and the centre CA, and every [peer.*] and [account.*] section, are
  commented out with their values;
- a key that is to be replaced but missing from the example is an error, so that a change
  of the example cannot silently leave the default behind.

usage: derive_onewindowd_ini.py EXAMPLE OUTPUT DATA_DIR
"""
import os
import re
import sys

REPLACE = {
    "node.database": (
        "sqlite3://db={data}/centre.db",
        [
            "; An SQLite file of the service's own. A centre's shared PostgreSQL database instead",
            "; (libpq reads the password from ~/.pgpass of the service user):",
        ],
    ),
    "node.centre": (
        "000000",
        [
            "; 000000 is a placeholder: the database above is initialised for it on the first",
            "; start. Before the node replicates with anyone, set the centre's own six-digit",
            "; code and remove the placeholder's database file (it holds no cases), or name",
            "; another file above. Like the example of a centre in production:",
        ],
    ),
    "server.listen": (
        "127.0.0.1:5984",
        [
            "; Loopback only, plain HTTP. For peers to reach this node, listen on their network",
            "; with TLS (certificate and private_key below), like a centre in production:",
        ],
    ),
}
COMMENT_OUT = {"server.certificate", "server.private_key", "replication.ca"}
SECTIONS_OFF = re.compile(r"^(peer|account)\.")


def derive(example_lines, data_dir):
    out = [
        "; onewindowd — the configuration the packaged service starts with: the centre node on",
        f"; loopback with an SQLite database in {data_dir}, no peers and no accounts.",
        "; It is derived from the example of a centre in production, shipped with the",
        "; documentation (examples/onewindowd.ini); ONEWINDOWD.md describes every key.",
        "; After a change: systemctl restart onewindowd",
        "",
    ]
    section, seen_section, pending, replaced = None, False, [], set()
    for line in example_lines:
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            section, seen_section = header.group(1), True
        if not seen_section:
            continue  # the example's own header comment
        off = bool(section and SECTIONS_OFF.match(section))
        if line.startswith((";", "#")):
            pending.append(line)
            continue
        setting = re.match(r"^([A-Za-z_]+)\s*=\s*(.*)$", line)
        if setting:
            key = f"{section}.{setting.group(1).lower()}"
            if key in REPLACE:
                value, why = REPLACE[key]
                out += why + ["; " + line, f"{setting.group(1)} = {value.format(data=data_dir)}"]
                pending = []
                replaced.add(key)
                continue
            off = off or key in COMMENT_OUT
        out += pending
        pending = []
        out.append("; " + line if off and line.strip() else line)
    out += pending
    missing = set(REPLACE) - replaced
    if missing:
        sys.exit(f"derive_onewindowd_ini.py: the example has no {', '.join(sorted(missing))} any more")
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    example, output, data_dir = sys.argv[1:]
    with open(example, encoding="utf-8") as f:
        text = derive(f.read().splitlines(), data_dir)
    with open(output + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
