#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest without flatpak-builder (whose SDK cannot be
downloaded on the build machines): valid JSON, the right ids, a sandbox that
reaches files only through the portals, a runtime that is not end-of-life,
pinned archives for every bundled library, and -- so the manifest cannot fall
behind the build again -- every pkg-config dependency() of the meson.build
files is either in the GNOME runtime (RUNTIME_PKGS) or built by a module
(MODULE_PKGS).

Usage: check-manifest.py MANIFEST [SOURCE_ROOT]   (SOURCE_ROOT defaults to
the manifest's parent directory's parent)
       check-manifest.py --self-test"""

import json
import os
import re
import sys
import tempfile

APP_ID = "nl.buurtboek.Buurtboek"

# The oldest org.gnome.Platform branch that is not end-of-life. Raise it when
# a branch goes EOL (a branch lives for about a year: 49 ended when 51 came
# out in September 2026, 50 ends when 52 comes out).
MIN_RUNTIME = 50

# pkg-config names org.gnome.Platform (on top of the freedesktop-sdk
# runtime) provides, with the component that ships them. Add a name here only
# when you have checked that the runtime really ships it; otherwise add a
# module to the manifest and a line to MODULE_PKGS.
RUNTIME_PKGS = {
    "glib-2.0": "GLib (GNOME)",
    "gio-2.0": "GLib (GNOME)",
    "gio-unix-2.0": "GLib (GNOME)",
    "gobject-2.0": "GLib (GNOME)",
    "gmodule-2.0": "GLib (GNOME)",
    "gthread-2.0": "GLib (GNOME)",
    "gtk4": "GTK (GNOME)",
    "libadwaita-1": "libadwaita (GNOME)",
    "json-glib-1.0": "json-glib (GNOME)",
    "libsoup-3.0": "libsoup (GNOME)",
    "libsecret-1": "libsecret (GNOME)",
    "pango": "Pango (GNOME)",
    "pangocairo": "Pango (GNOME)",
    "cairo": "cairo (freedesktop-sdk)",
    "cairo-pdf": "cairo (freedesktop-sdk)",
    "sqlite3": "SQLite (freedesktop-sdk)",
    "libxml-2.0": "libxml2 (freedesktop-sdk)",
    "gnutls": "GnuTLS (freedesktop-sdk)",
    "zlib": "zlib (freedesktop-sdk)",
}

# Module name in the manifest -> the pkg-config names it installs.
MODULE_PKGS = {
    "libical": ["libical"],
    "cmark": ["libcmark"],
    "libxlsxwriter": ["xlsxwriter"],
}

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# dependency('name' ...) with a literal first argument; meson has no other
# way to ask pkg-config for a library.
DEPENDENCY = re.compile(r"""\bdependency\s*\(\s*['"]([^'"]+)['"]""")
# Dependencies meson provides itself, not pkg-config.
MESON_BUILTIN = {"threads", "openmp", "dl", "intl", "iconv", "appleframeworks"}


def meson_dependencies(source_root):
    """Every dependency('…') named in a meson.build below source_root, with
    the first file that names it."""
    found = {}
    for top, dirs, files in os.walk(source_root):
        # Skip build trees, the Flatpak's own state and node_modules.
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith((".", "build", "_build"))
                         and d not in ("node_modules", "subprojects"))
        if "meson.build" not in files:
            continue
        path = os.path.join(top, "meson.build")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"#[^\n]*", "", text)
        for name in DEPENDENCY.findall(text):
            if name not in MESON_BUILTIN:
                found.setdefault(name, os.path.relpath(path, source_root))
    return found


def check(manifest_path, source_root):
    errors = []
    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{manifest_path} is not readable JSON: {e}"]
    if not isinstance(manifest, dict):
        return [f"{manifest_path} is not a JSON object"]

    def expect(key, value):
        if manifest.get(key) != value:
            errors.append(f"{key} is {manifest.get(key)!r}, expected {value!r}")

    # flatpak-builder accepts both spellings; exactly one must be there.
    ids = [manifest[k] for k in ("app-id", "id") if k in manifest]
    if ids != [APP_ID]:
        errors.append(f"app-id/id is {ids!r}, expected [{APP_ID!r}]")
    expect("command", "buurtboek")
    expect("runtime", "org.gnome.Platform")
    expect("sdk", "org.gnome.Sdk")
    version = manifest.get("runtime-version")
    if not isinstance(version, str) or not version.isdigit():
        errors.append(f"runtime-version {version!r} must be a GNOME branch such as \"51\"")
    elif int(version) < MIN_RUNTIME:
        errors.append(f"runtime-version {version} is end-of-life; use {MIN_RUNTIME} or newer")

    finish_args = manifest.get("finish-args", [])
    allowed = {"--share=ipc", "--socket=wayland", "--socket=fallback-x11",
               "--device=dri", "--share=network"}
    for arg in finish_args:
        if arg not in allowed:
            errors.append(f"finish-arg {arg} is more than the app needs; files go "
                          f"through the portals, the rest is {sorted(allowed)}")
    for arg in sorted(allowed):
        if arg not in finish_args:
            errors.append(f"finish-arg {arg} missing")

    modules = manifest.get("modules", [])
    if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
        errors.append("modules must be a list of objects (no separate module files)")
        return errors
    if not modules or modules[-1].get("name") != "buurtboek":
        errors.append("the last module must be buurtboek")
    elif modules[-1].get("buildsystem") != "meson":
        errors.append("the buurtboek module must build with meson")

    provided = dict(RUNTIME_PKGS)
    for module in modules[:-1]:
        name = module.get("name")
        if name not in MODULE_PKGS:
            errors.append(f"module {name!r} is not in MODULE_PKGS of {os.path.basename(__file__)}; "
                          "say which pkg-config names it installs")
            continue
        for pkg in MODULE_PKGS[name]:
            provided[pkg] = f"module {name}"
        sources = module.get("sources", [])
        if not sources:
            errors.append(f"module {name} has no sources")
        for source in sources:
            if source.get("type") != "archive":
                errors.append(f"module {name}: a library comes from a pinned release archive, "
                              f"not a {source.get('type')!r} source")
            elif not str(source.get("url", "")).startswith("https://"):
                errors.append(f"module {name}: archive url must be https")
            elif not SHA256.match(str(source.get("sha256", ""))):
                errors.append(f"module {name}: archive needs its sha256")
        opts = " ".join(module.get("config-opts", []))
        if module.get("buildsystem") in ("cmake", "cmake-ninja") \
                and "-DCMAKE_INSTALL_LIBDIR=lib" not in opts:
            errors.append(f"module {name}: cmake needs -DCMAKE_INSTALL_LIBDIR=lib, "
                          "or the library lands where pkg-config does not look")
    for name in MODULE_PKGS:
        if not any(m.get("name") == name for m in modules):
            errors.append(f"MODULE_PKGS names {name} but the manifest has no such module")

    for pkg, where in sorted(meson_dependencies(source_root).items()):
        if pkg not in provided:
            errors.append(f"{where} depends on {pkg!r}, which is neither in the GNOME "
                          "runtime (RUNTIME_PKGS) nor built by a module: add a module")
    return errors


def self_test():
    """The checker must fail on the mistakes it is there to catch."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, APP_ID + ".json"), encoding="utf-8") as f:
        good = json.load(f)
    failures = []

    def run(label, manifest, meson_text, expect_error):
        with tempfile.TemporaryDirectory() as root:
            os.mkdir(os.path.join(root, "flatpak"))
            path = os.path.join(root, "flatpak", APP_ID + ".json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(manifest if isinstance(manifest, str) else json.dumps(manifest))
            with open(os.path.join(root, "meson.build"), "w", encoding="utf-8") as f:
                f.write(meson_text)
            errors = check(path, root)
        hit = [e for e in errors if expect_error and expect_error in e]
        ok = (not errors) if expect_error is None else bool(hit)
        print(f"{'ok' if ok else 'not ok'} - {label}" + ("" if ok else f": {errors}"))
        if not ok:
            failures.append(label)

    deps = "gtk_dep = dependency('gtk4')\ncmark_dep = dependency('libcmark', version: '>= 0.30')\n"
    run("the manifest as committed passes", good, deps, None)
    run("a dependency nobody builds fails", good,
        deps + "x_dep = dependency('libfoo-1.0')\n", "'libfoo-1.0'")
    run("a commented-out dependency is ignored", good, deps + "# dependency('libfoo')\n", None)
    broken = json.loads(json.dumps(good))
    broken["modules"] = [m for m in broken["modules"] if m["name"] != "cmark"]
    run("a dependency whose module was removed fails", broken, deps, "'libcmark'")
    broken = json.loads(json.dumps(good))
    broken["modules"][0]["sources"][0].pop("sha256")
    run("an archive without sha256 fails", broken, deps, "needs its sha256")
    broken = dict(good, **{"runtime-version": "49"})
    run("an end-of-life runtime fails", broken, deps, "end-of-life")
    broken = dict(good, **{"finish-args": good["finish-args"] + ["--filesystem=home"]})
    run("home access fails", broken, deps, "--filesystem=home")
    run("malformed JSON fails", "{\"app-id\": ", deps, "not readable JSON")
    print("1..8")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    manifest = argv[1]
    root = argv[2] if len(argv) == 3 else \
        os.path.dirname(os.path.dirname(os.path.abspath(manifest)))
    errors = check(manifest, root)
    for e in errors:
        print(f"check-manifest: {e}", file=sys.stderr)
    if not errors:
        print(f"check-manifest: {manifest} is fine")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
