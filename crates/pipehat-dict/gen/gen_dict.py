#!/usr/bin/env python3
"""Generates pipehat-dict's data from pinned, openly licensed packages. Run it through
`cargo xtask gen-dict`, which downloads the packages; see docs/dictionary-sources.md.

    gen_dict.py --src DIR --out FILE [--report FILE]

DIR holds the downloaded archives (hl7apy, hl7types wheels; hl7-dictionary tarball). Nothing is
imported from hl7types (it needs pydantic): its modules are read with `ast`. hl7apy's data
modules are plain dicts and are imported. hl7-dictionary is CommonJS, read through `node`.

The output is one Rust source file of interned strings and integer tables, written as byte-string
columns that gzip well (front-coded strings, varints and deltas, lists as edits of the version
before: the layout is described in src/data.rs, which decodes it). The same input gives the same
bytes: every collection is sorted before it is written, and each column's coding is fixed here.
"""

import argparse
import ast
import collections
import difflib
import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

VERSIONS = ["2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8",
            "2.8.1", "2.8.2"]
HL7APY = "hl7apy-1.3.5-py2.py3-none-any.whl"
HL7TYPES = "hl7types-0.9.5-py3-none-any.whl"
HL7_DICTIONARY = "hl7-dictionary-1.0.1.tgz"
REDOX = "redoxengine-redox-hl7-v2-1.0.1.tgz"
# What the registries served when these versions were chosen: a different file is refused.
SHA256 = {
    HL7APY: "c8b80ff5ad020bf9c1e68a6395cf45cb78db621f65569d1798c46eb1b657e27b",
    HL7TYPES: "305b5bd7353200ba4d72a112c0ab85165d4f6ec6815318d0c5fbc38aa4aa858f",
    HL7_DICTIONARY: "a23751c26d83a897fe5734ca198555c13c0d306d78b5578b103f0d63198182ef",
    REDOX: "7d1c87a7338fcfef7b5ed79712ae08f822406c22735ae37373eae774d63a93d4",
}
# hl7apy has no 2.7.1; hl7-dictionary's 2.7.1 is a byte copy of its 2.7 and it stops there.
HL7APY_VERSION = {v: v for v in VERSIONS if v != "2.7.1"} | {"2.7.1": "2.7"}
HD_VERSIONS = set(VERSIONS[:9])  # 2.1 … 2.7

USAGES = ["R", "O", "C", "B", "X", "W", "NA", "RE"]

notes = []  # what the generator had to decide, written to the report


def note(text):
    notes.append(text)


# ---------------------------------------------------------------- sources

def verify(src):
    for name, expected in SHA256.items():
        with open(os.path.join(src, name), "rb") as f:
            actual = hashlib.sha256(f.read()).hexdigest()
        if actual != expected:
            sys.exit(f"{name}: sha256 {actual}, expected {expected}")


def unpack(src, work):
    with zipfile.ZipFile(os.path.join(src, HL7APY)) as z:
        z.extractall(os.path.join(work, "hl7apy"))
    with zipfile.ZipFile(os.path.join(src, HL7TYPES)) as z:
        names = [n for n in z.namelist() if n.startswith("hl7types/hl7/v2_") and n.endswith(".py")]
        z.extractall(os.path.join(work, "hl7types"), members=names)
    with tarfile.open(os.path.join(src, HL7_DICTIONARY)) as t:
        t.extractall(os.path.join(work, "hd"), filter="data")


def load_hd(work):
    """hl7-dictionary as JSON: {version: {segments, fields, messages}, "tables": …}."""
    lib = os.path.join(work, "hd", "package", "lib")
    script = (
        "const lib = process.argv[1]; const out = { tables: require(lib + '/tables.js') };"
        "for (const v of process.argv.slice(2)) {"
        "  const d = require(lib + '/' + v);"
        "  out[v] = { segments: d.segments, fields: d.fields };"
        "}"
        "process.stdout.write(JSON.stringify(out));"
    )
    text = subprocess.run(["node", "-e", script, lib, *sorted(HD_VERSIONS)], check=True,
                          capture_output=True, text=True).stdout
    return json.loads(text)


def py_module(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read())


def docstring_first_line(cls):
    doc = ast.get_docstring(cls) or ""
    return doc.strip().split("\n")[0].strip()


SECTION = re.compile(r"\s*\((?:S[^()]*|[0-9][^()]*)\)\.?$")


def strip_section(title):
    """"Patient Identification (S3.4.2)." → "Patient Identification"."""
    title = SECTION.sub("", title).strip()
    return title[:-1] if title.endswith(".") else title


def fields_of_class(cls, prefix):
    """The `prefix_N: … = Field(title=…, description=…)` members of an hl7types class."""
    doc = ast.get_docstring(cls) or ""
    doc_lines = {}
    for line in doc.split("\n"):
        m = re.match(r"\s*[A-Z0-9]+\.(\d+)(?: \(\w+\))? - (.*)$", line)
        if m:
            doc_lines[int(m.group(1))] = m.group(2)
    out = {}
    for item in cls.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        m = re.fullmatch(prefix + r"_(\d+)", item.target.id)
        if not m or not isinstance(item.value, ast.Call):
            continue
        position = int(m.group(1))
        kw = {k.arg: k.value for k in item.value.keywords}
        title = kw["title"].value if "title" in kw else ""
        description = kw["description"].value if "description" in kw else ""
        annotation = ast.unparse(item.annotation)
        rest = doc_lines.get(position, "")
        # The docstring line reads "<title> (<TYPE>) <usage> [rep] [section] [| table - name]".
        data_type = None
        if rest.startswith(title + " ("):
            m = re.match(r"\(([^()\s]+)\)", rest[len(title) + 1:])
            if m:
                data_type = m.group(1)
        if data_type is None:
            m = re.search(r" \(([A-Za-z0-9_]+)\)(?: [A-Z]+)?(?: rep)?(?: S\S*)?(?: \|.*)?$", rest)
            data_type = m.group(1) if m else None
        table = None
        m = re.search(r"Table (\w+) - ([^|]*)", description) or re.search(r"\| (\w+) - (.*)$", rest)
        if m:
            table = (m.group(1), m.group(2).strip())
        length = re.search(r"LEN:(\d+)", description)
        usage = description.split("|")[0].strip() if description else None
        out[position] = {
            "name": title,
            "type": "varies" if data_type in ("var", "varies", "*") else data_type,
            "usage": usage or None,
            "repeats": "List" in annotation,
            # Required: a list with min_length, or a member with no default.
            "required": "min_length" in kw or not ({"default", "default_factory"} & set(kw)),
            "table": table,
            "len": int(length.group(1)) if length else None,
        }
    return [out[p] for p in sorted(out)] if out and sorted(out) == list(range(1, len(out) + 1)) \
        else fill_gaps(out)


def fill_gaps(out):
    if not out:
        return []
    result = []
    for p in range(1, max(out) + 1):
        result.append(out.get(p) or {"name": "", "type": None, "usage": None, "repeats": False,
                                      "required": False, "table": None, "len": None})
    return result


def load_hl7types(work, version):
    base = os.path.join(work, "hl7types", "hl7types", "hl7", "v" + version.replace(".", "_"))
    segments, datatypes, messages, groups = {}, {}, {}, {}
    for kind, target in (("segments", segments), ("datatypes", datatypes)):
        folder = os.path.join(base, kind)
        for file in sorted(os.listdir(folder)):
            if not file.endswith(".py") or file.startswith("_"):
                continue
            for node in py_module(os.path.join(folder, file)).body:
                if isinstance(node, ast.ClassDef):
                    target[node.name] = {
                        "name": strip_section(docstring_first_line(node)),
                        "fields": fields_of_class(node, node.name.lower()),
                    }
    for kind, target in (("messages", messages), ("groups", groups)):
        folder = os.path.join(base, kind)
        for file in sorted(os.listdir(folder)):
            if not file.endswith(".py") or file.startswith("_"):
                continue
            for node in py_module(os.path.join(folder, file)).body:
                if isinstance(node, ast.ClassDef):
                    parent = node.bases[0].id if node.bases and isinstance(node.bases[0], ast.Name) else None
                    children = []
                    for item in node.body:
                        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) \
                                and isinstance(item.value, ast.Call):
                            kw = {k.arg: k.value for k in item.value.keywords}
                            annotation = ast.unparse(item.annotation)
                            ref = re.findall(r"_([A-Z0-9_]+)", annotation)
                            children.append({
                                "name": item.target.id,
                                "ref": ref[-1] if ref else item.target.id,
                                "min": 1 if ("min_length" in kw or "default" not in kw) else 0,
                                "max": 0 if "List" in annotation else 1,
                            })
                    description = docstring_first_line(node)
                    target[node.name] = {"parent": parent, "children": children,
                                         "description": description}
    return segments, datatypes, messages, groups


def load_hl7apy(work, version):
    root = os.path.join(work, "hl7apy")
    if root not in sys.path:
        sys.path.insert(0, root)
    package = "hl7apy.v" + version.replace(".", "_")
    mod = {name: importlib.import_module(package + "." + name)
           for name in ("segments", "datatypes", "messages", "groups")}
    try:
        tables = importlib.import_module(package + ".tables").TABLES
    except ImportError:
        tables = {}
    return {
        "segments": mod["segments"].SEGMENTS,
        "datatypes": mod["datatypes"].DATATYPES_STRUCTS,
        "messages": mod["messages"].MESSAGES,
        "groups": mod["groups"].GROUPS,
        "tables": tables,
    }


# ---------------------------------------------------------------- merging

def table_number(raw):
    if raw is None:
        return 0
    raw = str(raw)
    if raw.upper().startswith("HL7"):
        raw = raw[3:]
    return int(raw) if raw.isdigit() and 0 < int(raw) < 65536 else 0


def casing_from(candidates, title):
    """2.1 titles in hl7types are upper case: take the same words' casing from another source."""
    for other in candidates:
        if other and other.upper() == title.upper():
            return other
    return title.capitalize() if title.isupper() else title


def merge_version(version, work, hd, later_names, earlier, fallbacks):
    earlier_names, earlier_types, earlier_tables = earlier
    seg_t, dt_t, msg_t, grp_t = load_hl7types(work, version)
    apy = load_hl7apy(work, HL7APY_VERSION[version])
    hd_v = hd.get(version) if version in HD_VERSIONS else None
    out = {"segments": {}, "datatypes": {}, "tables": {}, "structures": {}, "events": {}}
    table_names = {}

    # Segments and fields: hl7types, with lengths filled from hl7-dictionary.
    for seg_id, seg in sorted(seg_t.items()):
        hd_fields = (hd_v["segments"].get(seg_id) or {}).get("fields", []) if hd_v else []
        apy_seg = apy["segments"].get(seg_id)
        apy_fields = apy_seg[1] if apy_seg and len(apy_seg) == 2 and all(
            isinstance(e, tuple) and len(e) == 4 for e in apy_seg[1]) else ()
        hd_aligned = len(hd_fields) == len(seg["fields"])
        apy_aligned = len(apy_fields) == len(seg["fields"])
        # hl7types stops some segments early (OBX in 2.5.1 at 22 of 25 fields): where hl7apy
        # has more fields and agrees on every type they share, its extra fields are added.
        seg_fields = list(seg["fields"])
        if len(apy_fields) > len(seg_fields) and all(
                not f["type"] or not apy_fields[i][1][2] or apy_fields[i][1][2] == f["type"]
                for i, f in enumerate(seg_fields)):
            for i in range(len(seg_fields), len(apy_fields)):
                _, spec, (lo, hi), _ = apy_fields[i]
                seg_fields.append({
                    "name": "", "type": "varies" if spec[2] == "varies" else spec[2],
                    "usage": "R" if lo >= 1 else "O", "repeats": hi == -1, "required": lo >= 1,
                    "table": (str(table_number(spec[4])), "") if table_number(spec[4]) else None,
                    "len": None, "identifier": spec[3],
                })
                fallbacks["fields added from hl7apy"] += 1
        fields = []
        for i, f in enumerate(seg_fields):
            hd_f = hd_fields[i] if i < len(hd_fields) else {}
            apy_f = apy_fields[i][1] if i < len(apy_fields) else None
            name = f["name"]
            if not name:
                # hl7types leaves some withdrawn fields (e.g. DG1-2 from 2.6) without a name or
                # type: take hl7-dictionary's where its fields line up with hl7types', else the
                # last earlier version's. (hl7apy drops withdrawn fields, so its positions shift:
                # never take a position from it unless the counts agree.)
                name = (hd_f.get("desc") or "").strip() if hd_aligned else ""
                name = name or earlier_names.get((seg_id, i + 1), "")
                fallbacks["name"] += 1
            if not f["type"]:
                if apy_f and apy_aligned:
                    f["type"] = apy_f[2]
                elif hd_aligned and hd_f.get("datatype"):
                    f["type"] = hd_f["datatype"].replace("VARIES", "varies")
                else:
                    f["type"] = earlier_types.get((seg_id, i + 1), "")
                fallbacks["type"] += 1
            if not name and f.get("identifier"):
                name = f["identifier"].replace("_", " ").title()
            if version == "2.1":
                name = casing_from([later_names.get((seg_id, i + 1)), hd_f.get("desc")], name)
            table = table_number(f["table"][0]) if f["table"] else 0
            if f["table"] and table and f["table"][1]:
                table_names.setdefault(table, f["table"][1])
            length = f["len"]
            if length is None and isinstance(hd_f.get("len"), int) and hd_f.get("datatype") == f["type"]:
                length = hd_f["len"]
            usage = f["usage"] or ("R" if f["required"] else "O")
            if usage not in USAGES:
                note(f"{version} {seg_id}-{i + 1}: usage {usage!r} read as O")
                usage = "O"
            most = 0 if f["repeats"] else 1
            if f["repeats"] and isinstance(hd_f.get("rep"), int) and 1 < hd_f["rep"] < 256:
                most = hd_f["rep"]  # the standard's "Y/3": only hl7-dictionary keeps the bound
                fallbacks["bounded repetitions"] += 1
            fields.append({"name": name, "type": f["type"] or "", "usage": usage,
                           "max": most, "len": length or 0, "table": table})
            if name:
                earlier_names[(seg_id, i + 1)] = name
            if f["type"]:
                earlier_types[(seg_id, i + 1)] = f["type"]
        name = seg["name"]
        if version == "2.1":
            name = casing_from([later_names.get((seg_id, 0)),
                                (hd_v["segments"].get(seg_id) or {}).get("desc") if hd_v else None], name)
        out["segments"][seg_id] = {"name": name, "fields": fields}

    # Data types: components from hl7types; component tables from hl7apy; lengths from
    # hl7-dictionary.
    for dt_id, dt in sorted(dt_t.items()):
        if dt_id == "varies":
            continue
        apy_components = apy["datatypes"].get(dt_id, ())
        hd_components = (hd_v["fields"].get(dt_id) or {}).get("subfields", []) if hd_v else []
        components = []
        for i, c in enumerate(dt["fields"]):
            apy_c = apy_components[i][1] if i < len(apy_components) else None
            hd_c = hd_components[i] if i < len(hd_components) else {}
            table = 0
            if apy_c and apy_c[2] == c["type"]:
                table = table_number(apy_c[4])
            elif hd_c.get("datatype") == c["type"]:
                table = table_number(hd_c.get("table"))
            if table:
                earlier_tables[(dt_id, i + 1, c["type"])] = table
            elif (dt_id, i + 1, c["type"]) in earlier_tables:
                # hl7apy gives 2.8.x components no tables: the last earlier version's binding
                # of the same component (same type, same position) carries on.
                table = earlier_tables[(dt_id, i + 1, c["type"])]
                fallbacks["component tables carried from an earlier version"] += 1
            length = c["len"]
            if length is None and isinstance(hd_c.get("len"), int) and hd_c.get("datatype") == c["type"]:
                length = hd_c["len"]
            usage = c["usage"] or ("R" if c["required"] else "O")
            if usage not in USAGES:
                usage = "O"
            components.append({"name": c["name"], "type": c["type"] or "", "usage": usage,
                               "max": 1, "len": length or 0, "table": table})
        # hl7types writes type names in sentence case ("Extended person name"); hl7-dictionary
        # as the standard prints them.
        name = ((hd_v["fields"].get(dt_id) or {}).get("desc") if hd_v else None) or dt["name"]
        previous = earlier_names.get((dt_id, 0))
        if previous and norm(previous) == norm(name):
            name = previous  # the same words, written as hl7-dictionary writes them
        earlier_names[(dt_id, 0)] = name.strip()
        out["datatypes"][dt_id] = {"name": name.strip(), "fields": components}

    # Primitive data types: every type referred to that has no components.
    referred = {f["type"] for s in out["segments"].values() for f in s["fields"]}
    referred |= {c["type"] for d in out["datatypes"].values() for c in d["fields"]}
    for t in sorted(referred - set(out["datatypes"]) - {"", "varies"}):
        out["datatypes"][t] = {"name": primitive_name(t, version, hd), "fields": []}

    # Tables: hl7apy's per-version code lists, descriptions from hl7-dictionary's one set.
    hd_tables = hd["tables"]
    for key, (name, codes) in sorted(apy["tables"].items()):
        number = table_number(key)
        if not number:
            continue
        described = (hd_tables.get(str(number)) or {}).get("values", {})
        out["tables"][number] = {
            "name": name,
            "codes": sorted({(str(c), described.get(str(c)) or "") for c in codes}),
        }
    for number, name in sorted(table_names.items()):
        out["tables"].setdefault(number, {"name": name, "codes": []})

    # Message structures: hl7apy (keeps repeated segments and nested groups).
    def element(name, spec, cardinality, kind):
        lo, hi = cardinality
        if kind == "SEG":
            return ["S", name, lo, 0 if hi == -1 else hi]
        group_name = name.split("_", 2)[-1] if name.count("_") >= 2 else name
        children = [element(*child) for child in spec[1]]
        kind = "C" if spec[0] == "choice" else "G"
        return [kind, group_name, lo, 0 if hi == -1 else hi, children]

    for struct_id, spec in sorted(apy["messages"].items()):
        out["structures"][struct_id] = [element(*child) for child in spec[1]]
    if version == "2.7.1":
        # hl7types is the only 2.7.1 source; its structures lose a repeated segment's second
        # place, so hl7apy's 2.7 is used where it has the structure.
        for struct_id, msg in sorted(msg_t.items()):
            if msg["parent"] == "HL7Model" and struct_id not in out["structures"]:
                out["structures"][struct_id] = hl7types_structure(msg, grp_t, struct_id)
                note(f"2.7.1 structure {struct_id} from hl7types (absent from hl7apy 2.7)")

    # Trigger events → structures: hl7types' message classes, a subclass naming its structure.
    event_descriptions = dict((hd["tables"].get("3") or {}).get("values", {}))
    for name, msg in sorted(msg_t.items()):
        structure = name if msg["parent"] == "HL7Model" else msg["parent"]
        if "_" not in name:
            continue
        message_type, event = name.split("_", 1)
        description = msg["description"]
        description = re.sub(r"^[A-Z0-9/]+ -\s+", "", strip_section(description))
        out["events"][(message_type, event)] = (structure, description)
    # hl7types has a class per request event only: the events that share a structure (MFK^M02
    # → MFK_M01, SRR^S02 → SRR_S01 …) come from table 0354, whose text lists them ("M01, M02,
    # M03"), kept only where this version has the structure and lists the event in table 0003.
    events_0003 = {str(c) for c in (apy["tables"].get("HL70003") or ("", ()))[1]}
    for struct_id, text in sorted(hd["tables"].get("354", {}).get("values", {}).items()):
        if struct_id not in out["structures"] or "_" not in struct_id:
            continue
        message_type = struct_id.split("_")[0]
        for event in table_0354_events(text):
            key = (message_type, event)
            if key not in out["events"] and event in events_0003:
                out["events"][key] = (struct_id, event_descriptions.get(event, ""))
                fallbacks["events from table 0354"] += 1
    return out


def table_0354_events(text):
    """"A01, A04" → A01, A04; "S12–S24, S26" → S12 … S24, S26; typos like "I09. I10" read too."""
    out = []
    for part in re.split(r"[,.]\s*|\s+", text):
        m = re.fullmatch(r"([A-Z]+)(\d+)[–-]([A-Z]+)?(\d+)", part)
        if m:
            width = len(m.group(2))
            for n in range(int(m.group(2)), int(m.group(4)) + 1):
                out.append(f"{m.group(1)}{n:0{width}d}")
        elif re.fullmatch(r"[A-Z0-9]{3}", part):
            out.append(part)
    return out


def tidy_segment_names(data):
    """hl7types names segments differently across versions ("MESSAGE HEADER", "MSH - message
    header segment", "Message Header"): a name that says the same as the newest version's, up to
    case, an "MSH - " prefix and a " segment" suffix, takes the newest version's wording."""
    newest = {}
    for v in reversed(VERSIONS):
        for seg_id, seg in data[v]["segments"].items():
            newest.setdefault(seg_id, seg["name"])

    def core(seg_id, name):
        name = re.sub(r"^" + seg_id + r"\s*-\s*", "", name.strip())
        return norm(re.sub(r"\s+segment$", "", name, flags=re.I))

    for v in VERSIONS:
        for seg_id, seg in data[v]["segments"].items():
            if seg["name"] != newest[seg_id] and core(seg_id, seg["name"]) == core(seg_id, newest[seg_id]):
                seg["name"] = newest[seg_id]
                note_count("segment names worded as in the newest version")
            elif seg["name"].isupper():
                seg["name"] = seg["name"].title()


def note_count(what):
    tally[what] += 1


tally = collections.Counter()


def hl7types_structure(msg, groups, prefix):
    children = []
    for child in msg["children"]:
        if child["ref"] in groups:
            children.append(["G", child["name"], child["min"], child["max"],
                             hl7types_structure(groups[child["ref"]], groups, prefix)])
        else:
            children.append(["S", child["ref"], child["min"], child["max"]])
    return children


def primitive_name(t, version, hd):
    order = [version] + [v for v in reversed(VERSIONS) if v != version]
    for v in order:
        if v in HD_VERSIONS:
            entry = hd[v]["fields"].get(t)
            if entry and entry.get("desc"):
                return entry["desc"]
    return ""


# ---------------------------------------------------------------- encoding

class Interner:
    def __init__(self):
        self.ids = {}

    def add(self, s):
        if s not in self.ids:
            self.ids[s] = None
        return s

    def freeze(self):
        ordered = sorted(self.ids)
        self.ids = {s: i for i, s in enumerate(ordered)}
        return ordered

    def __getitem__(self, s):
        return self.ids[s]


def rust_str(s):
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def encode(data):
    """Interns strings and deduplicates definitions across versions, then writes Rust."""
    strings = Interner()
    for v in VERSIONS:
        d = data[v]
        for seg_id, seg in d["segments"].items():
            strings.add(seg_id)
            strings.add(seg["name"])
            for f in seg["fields"]:
                strings.add(f["name"])
                strings.add(f["type"])
        for dt_id, dt in d["datatypes"].items():
            strings.add(dt_id)
            strings.add(dt["name"])
            for c in dt["fields"]:
                strings.add(c["name"])
                strings.add(c["type"])
        for table in d["tables"].values():
            strings.add(table["name"])
            for code, desc in table["codes"]:
                strings.add(code)
                strings.add(desc)
        for struct_id, elements in d["structures"].items():
            strings.add(struct_id)
            add_elements(strings, elements)
        for (message_type, event), (structure, description) in d["events"].items():
            strings.add(message_type)
            strings.add(event)
            strings.add(structure)
            strings.add(description)
    ordered = strings.freeze()

    # Element rows (fields and components), code rows, structure nodes, the lists of them and
    # the definitions made of a name and a list: each stored once, shared across versions.
    rows, lists, defs = Pool(), Pool(), Pool()
    codes, code_lists, tables = Pool(), Pool(), Pool()
    nodes, node_lists = Pool(), Pool()

    def row(f):
        return rows.add((strings[f["name"]], strings[f["type"]], USAGES.index(f["usage"]),
                         f["max"], f["len"], f["table"]))

    def definition(name, fields):
        return defs.add((strings[name], lists.add(tuple(row(f) for f in fields))))

    def table_def(t):
        code_list = tuple(codes.add((strings[code], strings[desc])) for code, desc in t["codes"])
        return tables.add((strings[t["name"]], code_lists.add(code_list)))

    def node_list(elements):
        ids = []
        for e in elements:
            if e[0] == "S":
                key = (0, strings[e[1]], e[2], e[3], 0)
            else:
                # 1: a group of elements in sequence; 2: a choice of one of them.
                key = (1 if e[0] == "G" else 2, strings[e[1]], e[2], e[3], node_list(e[4]))
            ids.append(nodes.add(key))
        return node_lists.add(tuple(ids))

    # User-defined tables (HL7 lists suggested values only): those an IS element refers to in
    # any version.
    user_defined = sorted({
        f["table"] for v in VERSIONS
        for defs in (data[v]["segments"].values(), data[v]["datatypes"].values())
        for d in defs for f in d["fields"] if f["type"] == "IS" and f["table"]})

    per_version = []
    for v in VERSIONS:
        d = data[v]
        segments = sorted((strings[k], definition(s["name"], s["fields"]))
                          for k, s in d["segments"].items())
        datatypes = sorted((strings[k], definition(t["name"], t["fields"]))
                           for k, t in d["datatypes"].items())
        tables_v = sorted((n, table_def(t)) for n, t in d["tables"].items())
        structures = sorted((strings[k], node_list(e)) for k, e in d["structures"].items())
        events = sorted((strings[t], strings[e], strings[s], strings[desc])
                        for (t, e), (s, desc) in d["events"].items())
        per_version.append((v, segments, datatypes, tables_v, structures, events))

    return (ordered, rows.items, lists.items, defs.items, codes.items, code_lists.items,
            tables.items, nodes.items, node_lists.items, per_version, user_defined)


class Pool:
    """Values stored once each, in the order first added; `add` gives a value's index."""

    def __init__(self):
        self.items, self.ids = [], {}

    def add(self, key):
        if key not in self.ids:
            self.ids[key] = len(self.items)
            self.items.append(key)
        return self.ids[key]


def add_elements(strings, elements):
    for e in elements:
        strings.add(e[1])
        if e[0] in ("G", "C"):
            add_elements(strings, e[4])


# ---------------------------------------------------------------- columns

# How a column's values are stored (its first byte, then its length); data.rs reads the same
# numbers. SAME_OR_…: 0 is "the same as the parent item's value", else the value (or delta) + 1.
VARINT, DELTA, U16, SAME_OR_VARINT, SAME_OR_DELTA = range(5)
# List edits, in the low two bits of an op; the count (or the id) is above them.
COPY, SKIP, NEW, ID = range(4)


def varint(x):
    assert 0 <= x < 1 << 32, x
    out = bytearray()
    while True:
        low, x = x & 0x7F, x >> 7
        if not x:
            out.append(low)
            return bytes(out)
        out.append(low | 0x80)


def zigzag(d):
    return d << 1 if d >= 0 else ((-d) << 1) - 1


def column_bytes(coding, values, parents=None):
    """A column as its header (coding, length) and then each value's bytes."""
    out, prev = [bytes([coding]) + varint(len(values))], 0
    for i, x in enumerate(values):
        if coding == VARINT:
            out.append(varint(x))
        elif coding == DELTA:
            out.append(varint(zigzag(x - prev)))
        elif coding == U16:
            out.append(x.to_bytes(2, "little"))
        elif parents[i] is not None and parents[i] == x:
            out.append(varint(0))
        elif coding == SAME_OR_VARINT:
            out.append(varint(x + 1))
        else:
            out.append(varint(zigzag(x - prev) + 1))
        prev = x
    return out


def first_use(lists, count):
    """Renumbers items in the order `lists` first use them: the lists, and the old id of each
    new id."""
    order, seen = [], set()
    for items in lists:
        for item in items:
            if item not in seen:
                seen.add(item)
                order.append(item)
    assert len(order) == count, "an item no list uses"
    new = {old: i for i, old in enumerate(order)}
    return [tuple(new[i] for i in items) for items in lists], order


def list_parents(per_version_keys, count):
    """Each list's parent: the list its key (segment, data type, table) had in the last earlier
    version that had the key, or None."""
    parents, seen, last = [None] * count, [False] * count, {}
    for entries in per_version_keys:
        for key, lst in entries:
            if not seen[lst]:
                seen[lst] = True
                parents[lst] = last.get(key)
            last[key] = lst
    for index, parent in enumerate(parents):
        assert parent is None or parent < index, "a list comes before its parent"
    return parents


def list_ops(lists, parents):
    """Each list as edits of its parent, over items numbered in order of first use: COPY n of
    the parent's next items, SKIP n of them, NEW n items not used before, or an ID used before.
    An item that takes the place of a skipped one has it as its parent (a field whose length
    changed has the old field as its parent). Returns each list's ops and each item's parent."""
    ops, item_parents = [], []
    for index, items in enumerate(lists):
        before = lists[parents[index]] if parents[index] is not None else ()
        mine = []
        matcher = difflib.SequenceMatcher(None, before, items, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                mine.append(COPY | (i2 - i1) << 2)
                continue
            skipped = []
            # A skip at the end is left out: reading stops when the list is full.
            if i2 > i1 and j1 < len(items):
                mine.append(SKIP | (i2 - i1) << 2)
                skipped = list(before[i1:i2])
            run = 0
            for item in items[j1:j2]:
                replaced = skipped.pop(0) if skipped else None
                if item == len(item_parents):
                    item_parents.append(replaced)
                    run += 1
                    continue
                assert item < len(item_parents), "items are not numbered in order of first use"
                if run:
                    mine.append(NEW | run << 2)
                    run = 0
                mine.append(ID | item << 2)
            if run:
                mine.append(NEW | run << 2)
        ops.append(mine)
    return ops, item_parents


def columns(encoded):
    """The tables as named columns: (name, coding, values, parent values or None, per line)."""
    (strings, rows, lists, defs, codes, code_lists, tables, nodes, node_lists,
     per_version, user_defined) = encoded
    out = []

    def add(name, coding, values, parents=None, per_line=32):
        values = list(values)
        if coding == U16:
            assert all(0 <= x < 1 << 16 for x in values), name
        out.append((name, coding, values, parents, per_line))

    # Strings, in byte order: the bytes each shares with the one before (at a character
    # boundary, at most 255), then the rest of each (`string_suffixes`).
    prefixes, suffixes, prev = [], [], b""
    for s in strings:
        b = s.encode("utf-8")
        k = 0
        while k < min(len(b), len(prev), 255) and b[k] == prev[k]:
            k += 1
        while k < len(b) and (b[k] & 0xC0) == 0x80:
            k -= 1
        prefixes.append(k)
        suffixes.append(b[k:].decode("utf-8"))
        prev = b
    add("string_prefixes", VARINT, prefixes, per_line=64)

    # Fields and components: lists as edits of the same definition in the version before.
    element_keys = [[(("segment", k), defs[d][1]) for k, d in segments] +
                    [(("data type", k), defs[d][1]) for k, d in data_types]
                    for _, segments, data_types, _, _, _ in per_version]
    parents = list_parents(element_keys, len(lists))
    lists, order = first_use(lists, len(rows))
    rows = [rows[old] for old in order]
    ops, row_parents = list_ops(lists, parents)
    add("element_list_lengths", VARINT, [len(l) for l in lists])
    add("element_list_parents", DELTA, [0 if p is None else i - p for i, p in enumerate(parents)])
    add("element_list_ops", VARINT, [op for mine in ops for op in mine],
        per_line=[len(mine) for mine in ops])
    types = sorted({r[1] for r in rows})
    add("element_type_names", DELTA, types)
    type_index = {t: i for i, t in enumerate(types)}
    rows = [(name, type_index[t], *rest) for name, t, *rest in rows]
    for c, name, coding in ((0, "element_names", SAME_OR_DELTA),
                            (1, "element_types", SAME_OR_VARINT),
                            (2, "element_usages", SAME_OR_VARINT),
                            (3, "element_max_repetitions", SAME_OR_VARINT),
                            (4, "element_max_lengths", SAME_OR_VARINT),
                            (5, "element_tables", SAME_OR_VARINT)):
        add(name, coding, [r[c] for r in rows],
            [None if p is None else rows[p][c] for p in row_parents])
    add("definition_names", U16, [d[0] for d in defs])
    add("definition_lists", DELTA, [d[1] for d in defs])

    # Tables: code lists as edits of the same table's list in the version before.
    table_keys = [[(number, tables[t][1]) for number, t in version_tables]
                  for _, _, _, version_tables, _, _ in per_version]
    parents = list_parents(table_keys, len(code_lists))
    code_lists, order = first_use(code_lists, len(codes))
    codes = [codes[old] for old in order]
    ops, _ = list_ops(code_lists, parents)
    add("code_list_lengths", VARINT, [len(l) for l in code_lists])
    add("code_list_parents", DELTA, [0 if p is None else i - p for i, p in enumerate(parents)])
    add("code_list_ops", VARINT, [op for mine in ops for op in mine],
        per_line=[len(mine) for mine in ops])
    add("code_values", DELTA, [c[0] for c in codes])
    add("code_descriptions", DELTA, [c[1] for c in codes])
    add("table_names", U16, [t[0] for t in tables])
    add("table_lists", DELTA, [t[1] for t in tables])

    # Message structures: lists of nodes (no parents: new nodes are NEW runs), the nodes in
    # order of first use.
    node_lists, order = first_use(node_lists, len(nodes))
    nodes = [nodes[old] for old in order]
    ops, _ = list_ops(node_lists, [None] * len(node_lists))
    add("node_list_lengths", VARINT, [len(l) for l in node_lists])
    add("node_list_ops", VARINT, [op for mine in ops for op in mine],
        per_line=[len(mine) for mine in ops])
    add("node_kinds", VARINT, [n[0] for n in nodes])
    add("node_names", U16, [n[1] for n in nodes])
    add("node_mins", VARINT, [n[2] for n in nodes])
    add("node_maxes", VARINT, [n[3] for n in nodes])
    add("node_children", DELTA, [n[4] for n in nodes])
    add("user_defined_tables", DELTA, user_defined)

    # Versions: how many entries of each kind, then each kind's columns, version after version.
    for i, kind, names_codings in (
            (1, "segments", (("segment_ids", DELTA), ("segment_definitions", DELTA))),
            (2, "data_types", (("data_type_ids", DELTA), ("data_type_definitions", DELTA))),
            (3, "tables", (("table_ids", DELTA), ("table_indexes", DELTA))),
            (4, "structures", (("structure_ids", DELTA), ("structure_lists", DELTA))),
            (5, "events", (("event_types", DELTA), ("event_triggers", DELTA),
                           ("event_structures", DELTA), ("event_descriptions", DELTA)))):
        add("version_" + kind, VARINT, [len(v[i]) for v in per_version])
        for c, (name, coding) in enumerate(names_codings):
            add(name, coding, [entry[c] for v in per_version for entry in v[i]])
    return out, suffixes


def rust_bytes(chunks, lines):
    """A byte string literal of `chunks`, broken into lines after the given chunk counts."""
    short = {0: "\\0", 9: "\\t", 10: "\\n", 13: "\\r"}

    def esc(chunk):
        return "".join(chr(b) if 0x21 <= b <= 0x7E and b not in (0x22, 0x5C)
                       else short.get(b, "\\x%02x" % b) for b in chunk)
    out, at = [], 0
    for count in lines:
        out.append("".join(esc(c) for c in chunks[at:at + count]))
        at += count
    assert at == len(chunks)
    return 'b"\\\n' + "\\\n".join(out) + '"'


def write_rust(out_path, encoded, stamp):
    cols, suffixes = columns(encoded)
    assert len(encoded[0]) < 1 << 16, "string ids no longer fit u16"
    for items, what in ((encoded[1], "rows"), (encoded[4], "codes"), (encoded[7], "nodes")):
        assert len(items) < 1 << 16, what + " no longer fit u16"

    o = []
    o.append("// @generated by `cargo xtask gen-dict` from " + stamp + ".")
    o.append("// Do not edit: change crates/pipehat-dict/gen/gen_dict.py and regenerate.")
    o.append("// Layout: see crates/pipehat-dict/src/data.rs (byte-string columns, decoded once).")
    o.append("")
    o.append("use crate::data::Encoded;")
    o.append("")
    o.append("pub(crate) static ENCODED: Encoded<'static> = Encoded {")
    # One string per line, each ended by a NUL. A continued literal skips the next line's
    # leading whitespace, so lines are not indented and a leading space is escaped.
    lines = []
    for s in suffixes:
        text = rust_str(s)
        if text[:1].isspace():
            text = "\\u{%x}" % ord(text[0]) + text[1:]
        lines.append(text + "\\0")
    o.append('    string_suffixes: "\\\n' + "\\\n".join(lines) + '",')
    for name, coding, values, parents, per_line in cols:
        chunks = column_bytes(coding, values, parents)
        if isinstance(per_line, int):
            counts = [1] + [min(per_line, len(values) - i)
                            for i in range(0, len(values), per_line)]
        else:
            counts = [1] + [n for n in per_line if n]
        o.append(f"    {name}: {rust_bytes(chunks, counts)},")
    o.append("};")
    o.append("")
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(o))


# ---------------------------------------------------------------- cross-check

def crosscheck(work, hd, data, redox_events):
    """Compares the sources fact by fact and returns a Markdown report of where they differ."""
    rows = []
    examples = {}

    def differ(kind, version, where, values):
        examples.setdefault((kind, version), []).append(f"{where}: " + ", ".join(values))

    for v in VERSIONS:
        seg_t, _, _, _ = load_hl7types(work, v)
        apy = load_hl7apy(work, v) if v != "2.7.1" else None
        hd_v = hd.get(v) if v in HD_VERSIONS and v != "2.7.1" else None
        compared = {"hl7apy": 0, "hl7-dictionary": 0}
        for seg_id, seg in sorted(seg_t.items()):
            apy_seg = apy["segments"].get(seg_id) if apy else None
            if apy_seg and not (len(apy_seg) == 2 and all(isinstance(e, tuple) and len(e) == 4
                                                           for e in apy_seg[1])):
                differ("segment", v, seg_id, ["malformed in hl7apy"])
                apy_seg = None
            hd_seg = hd_v["segments"].get(seg_id) if hd_v else None
            if apy and not apy_seg:
                differ("segment", v, seg_id, ["absent from hl7apy"])
            if hd_v and not hd_seg:
                differ("segment", v, seg_id, ["absent from hl7-dictionary"])
            if apy_seg and len(apy_seg[1]) != len(seg["fields"]):
                differ("field count", v, seg_id, [f"hl7types {len(seg['fields'])}",
                                                 f"hl7apy {len(apy_seg[1])}"])
            if hd_seg and len(hd_seg["fields"]) != len(seg["fields"]):
                differ("field count", v, seg_id, [f"hl7types {len(seg['fields'])}",
                                                 f"hl7-dictionary {len(hd_seg['fields'])}"])
            for i, f in enumerate(seg["fields"]):
                where = f"{seg_id}-{i + 1}"
                if apy_seg and i < len(apy_seg[1]):
                    compared["hl7apy"] += 1
                    _, spec, (lo, hi), _ = apy_seg[1][i]
                    if spec[2] != f["type"]:
                        differ("data type", v, where, [f"hl7types {f['type']}", f"hl7apy {spec[2]}"])
                    if (hi == -1) != f["repeats"]:
                        differ("repeats", v, where, [f"hl7types {'yes' if f['repeats'] else 'no'}",
                                                     f"hl7apy {'yes' if hi == -1 else 'no'}"])
                    if (lo >= 1) != (f["usage"] == "R"):
                        differ("required", v, where, [f"hl7types {f['usage']}", f"hl7apy min {lo}"])
                    ours = table_number(f["table"][0]) if f["table"] else 0
                    if table_number(spec[4]) != ours:
                        differ("table", v, where, [f"hl7types {ours or '-'}",
                                                   f"hl7apy {table_number(spec[4]) or '-'}"])
                if hd_seg and i < len(hd_seg["fields"]):
                    compared["hl7-dictionary"] += 1
                    h = hd_seg["fields"][i]
                    if h.get("datatype") != f["type"]:
                        differ("data type", v, where, [f"hl7types {f['type']}",
                                                       f"hl7-dictionary {h.get('datatype')}"])
                    if (h.get("rep") == 0) != f["repeats"]:
                        differ("repeats", v, where, [f"hl7types {'yes' if f['repeats'] else 'no'}",
                                                     f"hl7-dictionary rep {h.get('rep')}"])
                    if norm(h.get("desc")) != norm(f["name"]):
                        differ("name", v, where, [f"hl7types \"{f['name']}\"",
                                                  f"hl7-dictionary \"{h.get('desc')}\""])
                    if f["len"] and isinstance(h.get("len"), int) and h["len"] != f["len"]:
                        differ("length", v, where, [f"hl7types {f['len']}",
                                                    f"hl7-dictionary {h['len']}"])
        rows.append((v, compared))

    ours = data["2.5"]["events"]
    for message_type, events in sorted(redox_events.items()):
        for event, structure in sorted(events.items()):
            mine = ours.get((message_type, event))
            if mine is None:
                differ("event", "2.5", f"{message_type}^{event}", [f"redox {structure}", "not in hl7types"])
            elif mine[0] != structure:
                differ("event", "2.5", f"{message_type}^{event}", [f"hl7types {mine[0]}", f"redox {structure}"])

    out = ["# Dictionary cross-check", "",
           "Generated by `cargo xtask gen-dict` (crates/pipehat-dict/gen/gen_dict.py); do not edit.",
           "Where the sources disagree, fact by fact. The dictionary takes segments and fields from",
           "hl7types, structures from hl7apy, code descriptions and missing lengths from",
           "hl7-dictionary (see dictionary-sources.md). hl7-dictionary's 2.7.1 is a copy of its 2.7 and",
           "hl7apy has no 2.7.1, so 2.7.1 is compared with nothing. Events are compared with redox's",
           "v2.5 event map. Names are compared ignoring case and punctuation.", "",
           "| version | fields vs hl7apy | fields vs hl7-dictionary |", "|---|---|---|"]
    for v, compared in rows:
        out.append(f"| {v} | {compared['hl7apy']} | {compared['hl7-dictionary']} |")
    kinds = sorted({k for k, _ in examples})
    out += ["", "| disagreement | " + " | ".join(VERSIONS) + " |",
            "|---|" + "---|" * len(VERSIONS)]
    for kind in kinds:
        cells = [str(len(examples.get((kind, v), []))) for v in VERSIONS]
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    out += ["", "## Examples (the first five of each kind and version)", ""]
    for (kind, v), items in sorted(examples.items(), key=lambda kv: (kv[0][0], VERSIONS.index(kv[0][1]))):
        out.append(f"- **{kind}, {v}** ({len(items)}): " + "; ".join(items[:5]))
    out.append("")
    return "\n".join(out)


def norm(name):
    return re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).strip()


def load_redox(src):
    with tarfile.open(os.path.join(src, REDOX)) as t:
        member = t.extractfile("package/schema/structure/index.json")
        return json.load(member)


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--report")
    parser.add_argument("--crosscheck")
    args = parser.parse_args()
    verify(args.src)
    with tempfile.TemporaryDirectory() as work:
        unpack(args.src, work)
        hd = load_hd(work)
        data = {}
        # 2.1 names are upper case in hl7types: 2.2's casing is used where the words agree.
        seg22, _, _, _ = load_hl7types(work, "2.2")
        later = {}
        for seg_id, seg in seg22.items():
            later[(seg_id, 0)] = strip_section(seg["name"])
            for i, f in enumerate(seg["fields"]):
                later[(seg_id, i + 1)] = f["name"]
        earlier, fallbacks = ({}, {}, {}), collections.Counter()
        for v in VERSIONS:
            data[v] = merge_version(v, work, hd, later, earlier, fallbacks)
        tidy_segment_names(data)
        fallbacks.update(tally)
        for what, count in sorted(fallbacks.items()):
            note(f"{what} taken from a second source: {count}")
        if args.crosscheck:
            report = crosscheck(work, hd, data, load_redox(args.src))
            with open(args.crosscheck, "w", encoding="utf-8", newline="\n") as f:
                f.write(report)
    encoded = encode(data)
    stamp = "hl7apy 1.3.5, hl7types 0.9.5 and hl7-dictionary 1.0.1"
    write_rust(args.out, encoded, stamp)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            counts = {v: {k: len(data[v][k]) for k in data[v]} for v in VERSIONS}
            json.dump({"counts": counts, "notes": notes,
                       "rows": {"strings": len(encoded[0]), "elements": len(encoded[1]),
                                "definitions": len(encoded[3]), "codes": len(encoded[4]),
                                "tables": len(encoded[6]), "nodes": len(encoded[7])}},
                      f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
