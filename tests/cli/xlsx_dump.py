# Print what the XLSX tests check, one fact per line, read back with
# python3-openpyxl (Debian's /usr/bin/python3):
#   sheets=A|B|C
#   SHEET!rows=N  SHEET!header=a|b|c  SHEET!freeze=A2  SHEET!filter=A1:N6
#   SHEET!charts=N  SHEET!dv=RANGE:LIST  SHEET!cf=RANGE:FORMULA
#   SHEET!CELL=type:value   for every non-empty cell (type: s, n, d, b)
#   SHEET!print=landscape|fit=W:H|titles=ROWS|scale=N|breaks=R,R
#   SHEET!height:ROW=POINTS  for every row with a set height
#   SHEET!link:CELL=TARGET   internal hyperlinks (and HYPERLINK("#...") formulas)
#   SHEET!numfmt:CELL=FORMAT for cells whose number format is not General
#   SHEET!align:CELL=H       for cells with a horizontal alignment
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
print("sheets=" + "|".join(wb.sheetnames))
for ws in wb:
    t = ws.title
    rows = [r for r in ws.iter_rows() if any(c.value is not None for c in r)]
    print("%s!rows=%d" % (t, len(rows)))
    if rows:
        print("%s!header=%s" % (t, "|".join("" if c.value is None else str(c.value) for c in rows[0])))
    print("%s!freeze=%s" % (t, ws.freeze_panes))
    print("%s!filter=%s" % (t, ws.auto_filter.ref))
    print("%s!charts=%d" % (t, len(ws._charts)))
    for dv in ws.data_validations.dataValidation:
        print("%s!dv=%s:%s" % (t, dv.sqref, dv.formula1))
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            print("%s!cf=%s:%s" % (t, cf.sqref, "|".join(rule.formula)))
    ps = ws.page_setup
    fit = "%s:%s" % (1 if ps.fitToWidth is None else ps.fitToWidth, 1 if ps.fitToHeight is None else ps.fitToHeight) if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage else "-"
    breaks = ",".join(str(b.id) for b in ws.row_breaks.brk)
    print("%s!print=%s|fit=%s|titles=%s|scale=%s|breaks=%s" % (t, ps.orientation, fit, ws.print_title_rows, ps.scale, breaks))
    for idx, dim in sorted(ws.row_dimensions.items()):
        if dim.height is not None:
            print("%s!height:%d=%g" % (t, idx, dim.height))
    for r in rows:
        for c in r:
            if c.hyperlink is not None:
                print("%s!link:%s=%s" % (t, c.coordinate, c.hyperlink.location or c.hyperlink.target))
            if c.data_type == "f" and str(c.value).startswith('=HYPERLINK("#'):
                print("%s!link:%s=%s" % (t, c.coordinate, str(c.value)[13:].split('"')[0]))
            if c.value is not None and c.number_format != "General":
                print("%s!numfmt:%s=%s" % (t, c.coordinate, c.number_format))
            if c.value is not None and c.alignment is not None and c.alignment.horizontal:
                print("%s!align:%s=%s" % (t, c.coordinate, c.alignment.horizontal))
    for r in rows:
        for c in r:
            if c.value is None:
                continue
            kind = "d" if c.is_date else c.data_type
            v = c.value.strftime("%Y-%m-%d %H:%M:%S") if c.is_date else c.value
            print("%s!%s=%s:%s" % (t, c.coordinate, kind, v))
