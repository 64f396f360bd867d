"""What the benchmark table (bench/report.py) and the fault suite's table
(tests/faults/report.py) share: the machine a run happened on, the cells, the table as
text and as Markdown, and the JSON file {"machine": ..., "rows": [...]}."""
import json
import os
import platform


def machine():
    """CPU model, logical cores, memory and OS, from /proc and /etc/os-release (no host
    name, no paths)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            memory = f", {kb / 1048576:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    system = platform.system()
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    system = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {system}"


def cell(v):
    """A value as a table cell: None as a dash, floats with two decimals."""
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def text_table(head, table):
    """Lines of an aligned table: the first column left-aligned, the others right."""
    widths = [max(len(head[i]), *(len(t[i]) for t in table)) if table else len(head[i]) for i in range(len(head))]

    def line(cells):
        return "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells))

    return [line(head), "  ".join("-" * w for w in widths)] + [line(t) for t in table]


def markdown_table(head, table):
    """Lines of the same table in Markdown."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    for t in table:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in t) + " |")
    return out


def write_json(path, who, rows):
    """{"machine": who, "rows": rows}, UTF-8, indented, ending with a newline."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"machine": who, "rows": rows}, f, ensure_ascii=False, indent=2)
        f.write("\n")
