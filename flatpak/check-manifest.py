#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest without flatpak-builder (whose SDK cannot be
downloaded on the build machines): valid JSON, the right ids, and a sandbox
that reaches files only through the portals."""

import json
import sys

APP_ID = "nl.buurtboek.Buurtboek"


def main(path):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)

    errors = []

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
    if not isinstance(manifest.get("runtime-version"), str):
        errors.append("runtime-version must be a string")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        if arg.startswith(("--filesystem", "--socket=session-bus", "--socket=system-bus",
                           "--device=all", "--talk-name=org.freedesktop.Flatpak")):
            errors.append(f"finish-arg {arg} breaks the sandbox; files go through the portals")
    for arg in ("--share=ipc", "--socket=wayland", "--socket=fallback-x11"):
        if arg not in finish_args:
            errors.append(f"finish-arg {arg} missing")

    modules = manifest.get("modules", [])
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != "buurtboek":
        errors.append("the last module must be buurtboek")
    elif modules[-1].get("buildsystem") != "meson":
        errors.append("the buurtboek module must build with meson")

    for e in errors:
        print(f"check-manifest: {e}", file=sys.stderr)
    if not errors:
        print(f"check-manifest: {path} is fine")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
