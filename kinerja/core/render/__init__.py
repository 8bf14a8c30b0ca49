"""Documents as plain blocks (`doc`) rendered to Word (`docx_render`), PDF (`pdf_render`, ReportLab)
and HTML (`html_render`, which WeasyPrint can also print),
charts for print (`charts`) and the one shape of every export (`export.Export`). No app code and no
database: any app may build a document with it."""
