from decimal import Decimal

from reporting.rendering.charts import progress_chart_svg


def test_chart_draws_the_cumulative_line_and_the_target_and_escapes_text():
    svg = progress_chart_svg(
        series=[("2026-01", Decimal(0)), ("2026-02", Decimal(40)), ("2026-03", Decimal(100))],
        target=Decimal(100),
        title='<script>alert("x")</script>',
        target_label="目标",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<circle") == 1  # one marker, on the last month's figure
    # The line runs through one point per month.
    assert svg.split('<polyline points="', 1)[1].split('"', 1)[0].count(",") == 3
    assert 'stroke-dasharray="5 4"' in svg  # the target line
    assert "目标 100" in svg
    assert "2026-01" in svg and "2026-03" in svg


def test_no_series_no_chart_and_no_target_no_target_line():
    assert progress_chart_svg(series=[], target=Decimal(5)) == ""
    svg = progress_chart_svg(series=[("2026-01", Decimal(3))], target=None)
    assert "stroke-dasharray" not in svg and svg.count("<circle") == 1
