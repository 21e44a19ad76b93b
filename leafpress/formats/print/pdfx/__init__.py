"""The print-shop PDF: PDF/X-4 or PDF/X-1a, CMYK, bleed, crop marks.

The print PDF is made from the *same layout* as the screen PDF: WeasyPrint
lays the leaflet out once, with the bleed of :func:`.layout.bleed_css` and the
``.bleed-*`` rules of ``templates/bleed.css`` (backgrounds that reach a trim
edge run on into the bleed; on screen the page is cropped to the trim, so
nobody sees it). :func:`.writer.print_from_pdf` then turns that PDF into what a
print shop accepts, with pikepdf, without a second WeasyPrint render:

- tags: the structure tree and every marked-content operator go (they serve
  screen readers, not a RIP), and so do the PDF/UA identification in XMP; only
  ``/ActualText`` stays (the Arabic words of :mod:`leafpress.formats.pdf.rtl_paint`, so copy
  and search read the print file as the screen one);
- output intent: a /GTS_PDFX intent with the CMYK printer profile embedded,
  the PDF/X version keys (XMP ``pdfxid`` for X-4, Info for X-1a), /Trapped;
- colours: every RGB (and Lab) colour in content streams, shadings and
  images is converted to DeviceCMYK through that profile (relative
  colorimetric, black-point compensation); neutral greys and black become
  K-only, so text prints with one ink;
- black text: text painted in a near-black neutral (at least
  :data:`BLACK_TEXT_MIN_K` black once converted: the theme's body text
  ``#1a1a1a`` is 90 %, black is 100 %) prints ``0 0 0 1 k`` and overprints
  (``/OP true /op true /OPM 1``): each such text object is wrapped in
  ``q /LeafpressOverprint gs 0 0 0 1 k BT ... ET Q``. A 90 % black would be
  screened into dots on 10 pt text, and black that knocks out the colour
  under it shows white edges when the plates shift. The same grey painted as
  a line or an area keeps its converted value and knocks out;
- PDF/X-1a only: image soft masks are flattened onto white paper,
  transparency groups removed, and paint at alpha 0 (WeasyPrint draws
  ``transparent`` borders as black under ``ca 0``) dropped with its ``gs``;
- link annotations (PDF/X forbids annotations inside the bleed box) and
  form fields are removed;
- boxes: TrimBox = the page as laid out, BleedBox = TrimBox + bleed on every
  side, MediaBox = BleedBox + a slug holding crop marks in the /All
  registration colour *outside* the bleed (WeasyPrint's own ``marks: crop``
  land inside it); page content is clipped to the BleedBox;
- colour spaces declared but unused (WeasyPrint declares Lab and ICC ones
  on every page) are dropped, so X-1a validators do not trip on them.

Links keep the colour they have on screen: the layout is shared, so paper
shows them as the screen does (underlined, in the theme's link colour).

Some things cannot be fixed after the fact (partial opacity in X-1a,
low-resolution images, text too near the trim): ``leafpress.formats.print.preflight``
reports them.

The modules, one job each, in the order the pass runs them
(:func:`.writer.finish_print_pdf`):

- :mod:`.spec`: the variant, the profile, the bleed (:class:`~.spec.PrintSpec`);
- :mod:`.layout`: the bleed rules of the layout, and a render with them;
- :mod:`.writer`: the file, from the screen PDF, through the steps below;
- :mod:`.strip`: structure tree, annotations, form fields, unused colour spaces;
- :mod:`.output_intent`: the /GTS_PDFX intent with the profile;
- :mod:`.recolour`: every content stream and what it uses (forms, patterns,
  shadings, images), through :mod:`.content_fast` (the bytes of what WeasyPrint
  writes) or :mod:`.content` (a pikepdf parse, and for X-1a
  :mod:`.invisible_paint`), colour by colour in :mod:`.colour_state` with
  :mod:`.colour_conversion` and the rule of :mod:`.black_text`;
- :mod:`.boxes`: TrimBox, BleedBox, MediaBox and the crop marks;
- :mod:`.metadata`: the PDF/X identification in Info and XMP.
"""
