#!/usr/bin/env python3
"""Structural checks of plot files (run by ctest on the files examples/plot_frontier.plan writes).

Each argument is FILE:SERIES:X_UNIT:Y_UNIT for an SVG, or FILE for a PNG (its SVG beside it gives
the expected size). An SVG must parse as XML with an <svg> root, hold SERIES series groups and as
many legend entries, at least three tick labels on each axis, strictly increasing from left to
right and bottom to top, and axis labels that end with their unit in parentheses. A PNG must have
the PNG signature and the width and height of its SVG.
"""
import struct
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def fail(path, why):
    sys.exit(f"{path}: {why}")


def check_svg(path, series, x_unit, y_unit):
    root = ET.parse(path).getroot()
    if root.tag != NS + "svg":
        fail(path, f"the root is {root.tag}, not svg")
    groups = {g.get("class"): g for g in root.iter(NS + "g")}
    drawn = [g for g in root.iter(NS + "g") if g.get("class") == "series"]
    if len(drawn) != series:
        fail(path, f"{len(drawn)} series, expected {series}")
    legend = groups["legend"].findall(NS + "text")
    if [t.text for t in legend] != [g.get("data-name") for g in drawn]:
        fail(path, "the legend does not name the series in order")
    for axis, coord, sign in (("xticks", "x", 1), ("yticks", "y", -1)):
        ticks = [(float(t.get(coord)), float(t.text)) for t in groups[axis].findall(NS + "text")]
        if len(ticks) < 3:
            fail(path, f"{axis}: {len(ticks)} tick labels, expected at least 3")
        ticks.sort(key=lambda t: sign * t[0])
        values = [v for _, v in ticks]
        if any(b <= a for a, b in zip(values, values[1:])):
            fail(path, f"{axis}: tick labels do not increase along the axis: {values}")
    for cls, unit in (("xlabel", x_unit), ("ylabel", y_unit)):
        text = next(t.text for t in root.iter(NS + "text") if t.get("class") == cls)
        want = f"({unit})" if unit else ""
        if unit and want not in text:
            fail(path, f"{cls} '{text}' does not show the unit {want}")
    return int(root.get("width")), int(root.get("height"))


def check_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        fail(path, "not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    svg = path[: -len(".png")] + ".svg"
    root = ET.parse(svg).getroot()
    if (width, height) != (int(root.get("width")), int(root.get("height"))):
        fail(path, f"{width} x {height} pixels, but its SVG is {root.get('width')} x {root.get('height')}")


for arg in sys.argv[1:]:
    if arg.endswith(".png"):
        check_png(arg)
    else:
        path, series, x_unit, y_unit = arg.split(":")
        check_svg(path, int(series), x_unit, y_unit)
print(f"{len(sys.argv) - 1} plot files checked")
