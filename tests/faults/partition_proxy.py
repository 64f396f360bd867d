#!/usr/bin/env python3
"""TCP links between centres that a test can cut and heal: the network of the partition faults.

  partition_proxy.py --link NAME:LISTEN_PORT:TARGET_PORT ... --control FILE --state FILE

Each link listens on 127.0.0.1:LISTEN_PORT and forwards to 127.0.0.1:TARGET_PORT. A node
names, for each peer, the listening port of its own link to that peer, so that cutting the
link "a>c" cuts what node a sends to node c and nothing else.

The test writes FILE --control atomically (written beside and renamed): a generation number
on the first line, then the names of the links to cut, one per line. The proxy reads it
every 50 ms; on a new generation it refuses new connections on the cut links (accepted and
closed at once, as a peer that is unreachable), cuts the connections open on them, and then
writes the generation to --state (atomically), which is what the test waits for. The state
file first holds "0" once every link listens.
"""
import argparse
import asyncio
import os


class Link:
    def __init__(self, name, listen, target):
        self.name = name
        self.listen = listen
        self.target = target
        self.cut = False
        self.open = set()  # writers of the connections in flight, both sides

    async def handle(self, reader, writer):
        if self.cut:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer, up_writer)
        self.open.update(pair)

        async def pipe(src, dst):
            try:
                while True:
                    data = await src.read(65536)
                    if not data:
                        break
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                try:
                    dst.write_eof()
                except (OSError, RuntimeError, AttributeError):
                    dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer), return_exceptions=True)
        for w in pair:
            self.open.discard(w)
            w.transport.abort()

    def set_cut(self, cut):
        self.cut = cut
        if cut:
            for w in list(self.open):
                w.transport.abort()
            self.open.clear()


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--link", action="append", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--state", required=True)
    args = parser.parse_args()
    links = {}
    for spec in args.link:
        name, listen, target = spec.split(":")
        links[name] = Link(name, int(listen), int(target))
    for link in links.values():
        await asyncio.start_server(link.handle, "127.0.0.1", link.listen)
    write_atomically(args.state, "0\n")
    generation = "0"
    while True:
        await asyncio.sleep(0.05)
        try:
            with open(args.control) as f:
                lines = f.read().split()
        except FileNotFoundError:
            continue
        if not lines or lines[0] == generation:
            continue
        cut = set(lines[1:])
        unknown = cut - set(links)
        if unknown:
            raise SystemExit("partition_proxy: unknown links: " + " ".join(sorted(unknown)))
        for name, link in links.items():
            link.set_cut(name in cut)
        generation = lines[0]
        write_atomically(args.state, generation + "\n")


if __name__ == "__main__":
    asyncio.run(main())
