/// The HTML report's style sheet: light, dense enough for a laptop screen, and a print style
/// (A4 landscape, white background, a page per scenario, severity colours kept, players hidden).
enum HTMLStyle {
    static let css = """
    :root { --ink: #1d1d1f; --muted: #5c5f66; --rule: #d9dade; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #fff; color: var(--ink); font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
    main { max-width: 1340px; margin: 0 auto; padding: 18px 28px 48px; }
    h1 { font-size: 23px; margin: 0 0 2px; }
    h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
    h2 .sub { font-weight: normal; margin-left: 8px; }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    a { color: #0b57d0; text-decoration: none; }
    .sub { color: var(--muted); font-size: 12px; font-weight: normal; }
    .note, .legend { color: var(--muted); font-size: 12.5px; max-width: 1150px; margin: 6px 0; }
    nav { font-size: 13px; margin: 8px 0 0; color: var(--muted); }
    nav a { margin-right: 14px; white-space: nowrap; }
    table { border-collapse: collapse; }
    th { text-align: left; vertical-align: bottom; font-size: 12px; font-weight: 600; color: var(--muted); padding: 5px 8px; border-bottom: 1px solid var(--ink); }
    td { padding: 6px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
    .sev-good { background: #dcf1e1; color: #14532d; }
    .sev-warn { background: #ffefbf; color: #663f00; }
    .sev-bad { background: #f9d2cc; color: #86190e; }
    .sev-none { background: #f0f0f2; color: #66686e; }
    td.sev-good .sub, td.sev-warn .sub, td.sev-bad .sub, td.sev-none .sub { color: inherit; opacity: 0.85; }
    .sym { display: inline-block; min-width: 1em; font-weight: 700; }
    .chip { padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
    .matrix { width: 100%; }
    .matrix td { border-bottom: 3px solid #fff; }
    .matrix td.name { border-bottom: 1px solid var(--rule); min-width: 170px; }
    .matrix td.metric { min-width: 100px; }
    .matrix .value { font-weight: 650; font-size: 15px; font-variant-numeric: tabular-nums; }
    .matrix td.verdict { font-weight: 700; font-size: 15px; white-space: nowrap; }
    .banner { padding: 9px 14px; border-radius: 5px; margin: 6px 0 10px; font-size: 15px; }
    .facts { font-size: 13px; color: var(--muted); margin: 4px 0 10px; }
    .two-col { display: grid; grid-template-columns: minmax(0, 11fr) minmax(0, 9fr); gap: 28px; align-items: start; }
    .details td { padding: 3px 10px 3px 0; border: none; font-size: 13px; }
    .details td:first-child { color: var(--muted); white-space: nowrap; }
    .tl-row { display: block; width: 100%; height: auto; margin: 0 0 2px; }
    svg text { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
    .lane { fill: #f3f3f5; }
    .lane-label { font-size: 11px; fill: #5c5f66; }
    .lane-note { font-size: 12px; fill: #5c5f66; font-style: italic; }
    .grid { stroke: #e2e2e6; stroke-width: 1; }
    .axis { stroke: #8a8a90; stroke-width: 1; }
    .tick { font-size: 11px; fill: #3c3c40; }
    .word rect { stroke: #ffffff; stroke-width: 0.6; }
    .word.masked rect:first-of-type { stroke: #111; stroke-width: 2; }
    .word.masked.situation rect:first-of-type { stroke-dasharray: 4 3; }
    .word-text { font-size: 12px; fill: #1d1d1f; }
    .word rect.badge { fill: #1d1d1f; stroke: none; }
    .badge-text { font-size: 10px; font-weight: 700; fill: #fff; }
    .lf-over { fill: #c0392b; } .lf-near { fill: #f0a04b; }
    .sib-harsh { fill: #8e44ad; } .sib { fill: #d8c3e6; }
    .tl-legend { display: flex; flex-wrap: wrap; gap: 6px 20px; font-size: 12px; color: var(--muted); margin: 4px 0 8px; align-items: center; }
    .swatch { display: inline-block; padding: 0 5px; margin-left: 2px; border-radius: 2px; color: #1d1d1f; font-size: 11px; font-variant-numeric: tabular-nums; }
    .key { display: inline-block; width: 16px; height: 10px; margin: 0 3px 0 6px; vertical-align: middle; }
    .key.lf-over { background: #c0392b; } .key.lf-near { background: #f0a04b; }
    .key.sib-harsh { background: #8e44ad; } .key.sib { background: #d8c3e6; }
    .badge-key { display: inline-block; min-width: 17px; padding: 0 3px; border-radius: 3px; background: #1d1d1f; color: #fff; font-size: 10.5px; font-weight: 700; text-align: center; line-height: 15px; }
    figure.spectrum { margin: 0; }
    .spectrum svg { display: block; width: 100%; height: auto; }
    .spectrum .plot { fill: #fff; stroke: #b8b8bd; }
    .series { fill: none; stroke-width: 2; stroke-linejoin: round; }
    .series.reference { stroke-dasharray: 7 4; stroke-width: 2.4; }
    figcaption { font-size: 12.5px; margin-top: 2px; }
    .line-key { white-space: nowrap; margin-right: 12px; }
    .line-key .line { display: inline-block; width: 26px; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
    .line-key .line.reference { border-top-style: dashed; }
    table.words td { padding: 3px 8px; font-size: 13px; }
    table.words th.scn { min-width: 112px; }
    .words td.sii { text-align: right; font-variant-numeric: tabular-nums; }
    .words td.sii.masked { font-weight: 700; box-shadow: inset 0 0 0 2px #1d1d1f; }
    .words td.sii.masked.situation { box-shadow: none; outline: 2px dashed #1d1d1f; outline-offset: -3px; }
    .words td.sii.none { color: var(--muted); text-align: center; }
    td.time { font-variant-numeric: tabular-nums; color: var(--muted); white-space: nowrap; }
    .est { color: var(--muted); margin-left: 2px; }
    table.snippets td { vertical-align: middle; padding: 4px 8px; }
    table.snippets td.sii { text-align: right; font-variant-numeric: tabular-nums; }
    table.snippets audio { display: block; width: 260px; height: 34px; }
    .print-only { display: none; }
    .platforms td, .platforms th { font-size: 13px; padding: 3px 8px; }
    .big { font-size: 16px; font-weight: 650; }
    @media print {
      @page { size: A4 landscape; margin: 11mm; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      body { font-size: 11px; background: #fff; }
      main { max-width: none; padding: 0; }
      nav { display: none; }
      a { color: inherit; }
      section.scenario, section.word-section, section.notes { break-before: page; }
      .tl-row, tr, figure, .banner { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      audio { display: none !important; }
      .print-only { display: inline; color: var(--muted); }
    }
    """
}
