#!/usr/bin/python3
"""Dev-only CIFF tool, independent of Disco: Python's protobuf runtime (Debian python3-protobuf)
with message classes built from the published osirrc/ciff schema (CommonIndexFileFormat.proto,
restated field by field below, since protoc is not installed).

  ciff_tool.py write FILE.ciff FILE.json   write a small CIFF file the way an external exporter
                                           does (terms in lexicographic order, as Anserini's
                                           export) and its expected contents as JSON
  ciff_tool.py read FILE.ciff              print a CIFF file's contents as JSON (absolute docids)
"""
import json
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.internal.decoder import _DecodeVarint32
from google.protobuf.internal.encoder import _VarintBytes

F = descriptor_pb2.FieldDescriptorProto
SCHEMA = {
    "Header": [("version", 1, F.TYPE_INT32), ("num_postings_lists", 2, F.TYPE_INT32), ("num_doc_records", 3, F.TYPE_INT32),
               ("total_postings_lists", 4, F.TYPE_INT32), ("total_docs", 5, F.TYPE_INT32),
               ("total_terms_in_collection", 6, F.TYPE_INT64), ("average_doclength", 7, F.TYPE_DOUBLE),
               ("description", 8, F.TYPE_STRING)],
    "Posting": [("docid", 1, F.TYPE_INT32), ("tf", 2, F.TYPE_INT32)],
    "PostingsList": [("term", 1, F.TYPE_STRING), ("df", 2, F.TYPE_INT64), ("cf", 3, F.TYPE_INT64),
                     ("postings", 4, F.TYPE_MESSAGE, ".io.osirrc.ciff.Posting")],
    "DocRecord": [("docid", 1, F.TYPE_INT32), ("collection_docid", 2, F.TYPE_STRING), ("doclength", 3, F.TYPE_INT32)],
}


def classes():
    fdp = descriptor_pb2.FileDescriptorProto(name="CommonIndexFileFormat.proto", package="io.osirrc.ciff", syntax="proto3")
    for name, fields in SCHEMA.items():
        m = fdp.message_type.add(name=name)
        for field in fields:
            f = m.field.add(name=field[0], number=field[1], type=field[2],
                            label=F.LABEL_REPEATED if field[0] == "postings" else F.LABEL_OPTIONAL)
            if len(field) > 3:
                f.type_name = field[3]
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    get = getattr(message_factory, "GetMessageClass", None)
    if get is None:
        factory = message_factory.MessageFactory(pool)
        return {n: factory.GetPrototype(pool.FindMessageTypeByName(f"io.osirrc.ciff.{n}")) for n in SCHEMA}
    return {n: get(pool.FindMessageTypeByName(f"io.osirrc.ciff.{n}")) for n in SCHEMA}


C = classes()


def read(path):
    data = open(path, "rb").read()
    pos = 0

    def next_message(cls):
        nonlocal pos
        size, pos = _DecodeVarint32(data, pos)
        msg = cls()
        msg.ParseFromString(data[pos:pos + size])
        pos += size
        return msg

    h = next_message(C["Header"])
    out = {"header": {f[0]: getattr(h, f[0]) for f in SCHEMA["Header"]}, "lists": [], "docs": []}
    for _ in range(h.num_postings_lists):
        pl = next_message(C["PostingsList"])
        doc, postings = 0, []
        for p in pl.postings:
            doc += p.docid
            postings.append([doc, p.tf])
        out["lists"].append({"term": pl.term, "df": pl.df, "cf": pl.cf, "postings": postings})
    for _ in range(h.num_doc_records):
        d = next_message(C["DocRecord"])
        out["docs"].append([d.docid, d.collection_docid, d.doclength])
    assert pos == len(data), "trailing bytes"
    return out


def write(path, expected_path):
    docs = [f"clueweb-{i:02d}" for i in range(12)]
    postings = {
        "apple": [(0, 3), (2, 1), (5, 40), (11, 2)],
        "banana": [(1, 7)],
        "cherry": [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1), (9, 1), (10, 1), (11, 1)],
        "date": [(3, 300), (4, 2)],
        "élan": [(7, 12), (9, 5)],
        "fig": [(10, 65535)],
    }
    lengths = [0] * len(docs)
    for plist in postings.values():
        for d, tf in plist:
            lengths[d] += tf
    with open(path, "wb") as f:
        def put(msg):
            b = msg.SerializeToString()
            f.write(_VarintBytes(len(b)))
            f.write(b)
        put(C["Header"](version=1, num_postings_lists=len(postings), num_doc_records=len(docs), total_postings_lists=len(postings),
                        total_docs=len(docs), total_terms_in_collection=sum(lengths), average_doclength=sum(lengths) / len(docs),
                        description="written by ciff_tool.py (python protobuf), not by Disco"))
        for term in sorted(postings):
            pl = C["PostingsList"](term=term, df=len(postings[term]), cf=sum(tf for _, tf in postings[term]))
            prev = 0
            for d, tf in postings[term]:
                pl.postings.add(docid=d - prev, tf=tf)
                prev = d
            put(pl)
        for i, name in enumerate(docs):
            put(C["DocRecord"](docid=i, collection_docid=name, doclength=lengths[i]))
    with open(expected_path, "w", encoding="utf-8") as f:
        json.dump(read(path), f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    else:
        json.dump(read(sys.argv[2]), sys.stdout, ensure_ascii=False)
