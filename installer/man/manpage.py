#!/usr/bin/env python3
"""Writes a program's man page from a hand-written troff frame and the program's own --help.

The frame (installer/man/*.in) holds what --help cannot say (description, files,
environment, examples); the option and command lists come from the built program, so the
page cannot drift from it. Placeholders in the frame:

  @VERSION@ @DATE@      the project's version and the release date (debian/changelog)
  @OPTIONS@             the options of --help (onewindowd: Poco's list; onewindow: wx's)
  @GLOBAL_OPTIONS@      owctl: its global options
  @COMMANDS@            owctl: every command with its usage, description and options
  @EXIT_STATUS@         owctl: the exit codes its --help lists

usage: manpage.py --style owctl|poco|wx --frame FRAME --output PAGE --version V --date D -- COMMAND...
"""
import argparse
import os
import re
import subprocess
import sys


def run_help(command, args):
    # The default database printed by owctl depends on $HOME; a neutral home gives the
    # page "~/.local/share/…" instead of the build machine's home folder.
    env = dict(os.environ, HOME="~", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.pop("XDG_DATA_HOME", None)
    done = subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=120)
    text = done.stdout if done.stdout.strip() else done.stderr
    if not text.strip():
        sys.exit(f"manpage.py: {' '.join(command + args)} printed nothing (exit {done.returncode})")
    return text


def esc(text):
    """Escapes text for troff: backslashes, and hyphens as minus signs where they are options."""
    text = text.replace("\\", "\\e")
    # Options and option-like words are typed with ASCII hyphens: make them minus signs.
    text = re.sub(r"(?<![\w])-(?=[-\w])", r"\\-", text)
    text = re.sub(r"(?<=\\-)-", r"\\-", text)
    return text


def line(text):
    """One text line for troff: a leading dot or apostrophe would be read as a request."""
    text = esc(text)
    return "\\&" + text if text[:1] in (".", "'") else text


def split_columns(text):
    """'  --db CONNSTRING   what it is' -> ('--db CONNSTRING', 'what it is')."""
    parts = re.split(r"\s{2,}|\t", text.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def option_items(lines):
    """Option lines with continuation lines (indented deeper, or not starting with '-')."""
    items = []
    for raw in lines:
        if not raw.strip():
            continue
        stripped = raw.strip()
        if stripped.startswith("-") and (not items or len(raw) - len(raw.lstrip()) <= 2):
            name, text = split_columns(raw)
            items.append([name, text])
        elif items:
            items[-1][1] = (items[-1][1] + " " + stripped).strip()
    return items


def tagged(items):
    out = []
    for name, text in items:
        out.append(".TP")
        out.append("\\fB" + esc(name) + "\\fR")
        out.append(line(text))
    return "\n".join(out)


def sections(text):
    """Splits a --help text into the blocks that start with 'something:' at column 0."""
    blocks, current, name = {}, [], ""
    for raw in text.splitlines():
        header = re.match(r"^([a-z][a-z ()]*[a-z)]):\s*(.*)$", raw)
        if header and not raw.startswith(" "):
            blocks[name] = current
            name, current = header.group(1), ([header.group(2)] if header.group(2) else [])
        else:
            current.append(raw)
    blocks[name] = current
    return blocks


def owctl_pages(command):
    top = sections(run_help(command, ["--help"]))
    commands = [split_columns(raw) for raw in top.get("commands", []) if raw.strip()]
    global_key = next(k for k in top if k.startswith("global options"))
    exit_codes = " ".join(top.get("exit codes", [])).strip()
    if not commands or not exit_codes:
        sys.exit("manpage.py: owctl --help no longer lists commands and exit codes as expected")

    out = []
    for usage_words, summary in commands:
        words = []
        for word in usage_words.split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        detail = run_help(command, words + ["--help"])
        blocks = sections(detail)
        usage_block = blocks.get("usage", [])
        usage = usage_block[0].strip() if usage_block else "owctl " + usage_words
        out.append(".SS " + esc(" ".join(words)))
        out.append("\\fB" + esc(usage) + "\\fR")
        # The paragraphs between the usage line and "options:", as the program words them.
        paragraphs, current = [], []
        for raw in usage_block[1:] + [""]:
            if raw.strip():
                current.append(raw.strip())
            elif current:
                paragraphs.append(" ".join(current))
                current = []
        for paragraph in paragraphs or [summary]:
            out.append(".PP")
            out.append(line(paragraph))
        options = option_items(blocks.get("options", []))
        if options:
            out.append(".PP")
            out.append("Options:")
            out.append(".RS")
            out.append(tagged(options))
            out.append(".RE")
    exit_items = []
    for part in re.split(r",\s*(?=\d)", exit_codes):
        code, _, meaning = part.partition(" ")
        exit_items.append([code, meaning[:1].upper() + meaning[1:] + "."])
    return {
        "@GLOBAL_OPTIONS@": tagged(option_items(top[global_key])),
        "@COMMANDS@": "\n".join(out),
        "@EXIT_STATUS@": tagged(exit_items),
    }


def poco_pages(command):
    text = run_help(command, ["--help"])
    # Poco's unix-style list: the option lines start at column 0 with "--"; the header
    # before and the footer after a blank line are not options.
    lines, started = [], False
    for raw in text.splitlines():
        if raw.startswith("--"):
            started = True
        if started:
            if not raw.strip():
                break
            lines.append(raw if raw.startswith("--") else "    " + raw.strip())
    items = option_items(lines)
    if not items:
        sys.exit("manpage.py: no options found in onewindowd --help")
    return {"@OPTIONS@": tagged(items)}


def wx_pages(command):
    text = run_help(command, ["--help"])
    lines = [raw for raw in text.splitlines() if raw.startswith("  -")]
    items = []
    for raw in lines:
        name, _, meaning = raw.partition("\t")
        items.append([name.strip().replace("<str>", "VALUE"), meaning.strip()[:1].upper() + meaning.strip()[1:] + "."])
    if not items:
        sys.exit("manpage.py: no options found in onewindow --help")
    return {"@OPTIONS@": tagged(items)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--style", choices=["owctl", "poco", "wx"], required=True)
    parser.add_argument("--frame", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()

    values = {"owctl": owctl_pages, "poco": poco_pages, "wx": wx_pages}[args.style](args.command)
    values["@VERSION@"] = args.version
    values["@DATE@"] = args.date
    with open(args.frame, encoding="utf-8") as f:
        page = f.read()
    for key, value in values.items():
        page = page.replace(key, value)
    left = re.findall(r"@[A-Z_]+@", page)
    if left:
        sys.exit(f"manpage.py: {args.frame} has placeholders nothing fills: {' '.join(sorted(set(left)))}")
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output + ".tmp", "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main()
