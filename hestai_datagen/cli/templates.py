"""``hestai-datagen templates list|render|variety``: browse, try and measure scenario templates."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hestai_datagen.checks.config import GateConfig
from hestai_datagen.cli._app import out_console
from hestai_datagen.cli.options import resolve_config
from hestai_datagen.errors import TemplateError
from hestai_datagen.examples.recordings import record_for
from hestai_datagen.examples.render import render_example
from hestai_datagen.pipeline.variety import measure_variety
from hestai_datagen.pipeline.work import Renderer
from hestai_datagen.scenarios import load_scenarios
from hestai_datagen.scenarios.providers import Resources

ConfigOption = typer.Option(None, "--config", "-c", help="Build config YAML (default: the repo's).")
TemplatesOption = typer.Option(None, "--templates", help="Template folder (default: config's).")


def register(app: typer.Typer) -> None:
    """Add the ``templates`` command group."""
    group = typer.Typer(help="Browse and render scenario templates.", no_args_is_help=True)
    app.add_typer(group, name="templates")

    @group.command("list")
    def list_templates(
        config: Path | None = ConfigOption, templates: Path | None = TemplatesOption
    ) -> None:
        """List every template: priority, output kind, weight, the spec elements it covers."""
        settings = resolve_config(config, templates=templates)
        scenarios = load_scenarios(settings.templates, settings.vocabularies)
        table = Table("id", "priority", "output", "weight", "covers", title="Scenario templates")
        for t in scenarios.templates:
            covers = "\n".join(ref.split(".", 1)[-1] for ref in t.covers)
            table.add_row(t.id, t.priority, t.meta.output, f"{t.weight:g}", covers)
        out_console().print(table)

    @group.command("render")
    def render(
        template_id: str = typer.Argument(..., help="Template id, as `templates list` shows it."),
        index: int = typer.Option(0, "--index", "-i", help="Example index to render."),
        seed: int | None = typer.Option(None, "--seed", help="Build seed (default: config's)."),
        as_json: bool = typer.Option(False, "--json", help="Print the row as JSON."),
        config: Path | None = ConfigOption,
        templates: Path | None = TemplatesOption,
    ) -> None:
        """Render one example of a template as a readable conversation (or its JSON row)."""
        settings = resolve_config(config, templates=templates)
        scenarios = load_scenarios(settings.templates, settings.vocabularies)
        try:
            template = scenarios.template(template_id)
        except KeyError:
            raise TemplateError(f"no template with id {template_id!r}") from None
        resources = Resources(scenarios.vocabularies, record_for([template], cache_dir=None))
        domains = {"P1": "HERMES", "P2": "ATHENA⊕HERMES", "P3": "HEPHAESTUS"}
        example = render_example(
            template,
            seed=settings.seed if seed is None else seed,
            index=index,
            domain=domains.get(template.priority, "INTEGRATION"),
            providers=scenarios.providers,
            resources=resources,
        )
        console = out_console()
        if as_json:
            console.print_json(example.to_json_line().decode())
            return
        console.print(f"[bold]{example.id}[/] {example.priority} · {', '.join(example.spec_refs)}")
        for message in example.messages:
            body = message.content
            for call in message.tool_calls:
                body += f"\n→ {call.function.name}({call.function.arguments}) [{call.id}]"
            title = message.role + (f" ({message.tool_call_id})" if message.tool_call_id else "")
            console.print(Panel(Text(body), title=title, title_align="left", expand=True))
        if example.trace:
            console.print(f"trace: {len(example.trace)} wire messages")

    @group.command("variety")
    def variety(
        template_ids: list[str] = typer.Argument(None, help="Template ids (default: all)."),
        probe: int = typer.Option(
            0,
            "--probe",
            min=0,
            help="Indices to render per template (default: twice its planned rows).",
        ),
        waste: float = typer.Option(
            0.2,
            "--waste",
            min=0.0,
            max=0.99,
            help="Share of draws a template may lose to duplicates.",
        ),
        config: Path | None = ConfigOption,
        templates: Path | None = TemplatesOption,
        cache_dir: Path = typer.Option(
            Path("data/cache/recordings"), "--cache-dir", help="Cache of MCP recordings."
        ),
    ) -> None:
        """Render each template's first indices and count distinct rows (the gate's duplicate
        measure). Exit 1 if a template cannot make its planned rows without losing more than
        --waste of its draws to duplicates: give it variety, or a lower max_examples."""
        settings = resolve_config(config, templates=templates)
        renderer = Renderer(settings, cache_dir)
        quota = renderer.inputs.plan.quota()
        known = {t.id: t for t in renderer.inputs.scenarios.templates}
        for template_id in template_ids or []:
            if template_id not in known:
                raise TemplateError(f"no template with id {template_id!r}")
        gate = GateConfig.from_mapping(settings.quality, source=None)
        table = Table(
            "id",
            "planned",
            "max_examples",
            "distinct",
            "first repeat",
            "draws for plan",
            "fair max_examples",
            title="Template variety",
        )
        short = []
        for template_id in template_ids or sorted(known):
            planned = quota.get(template_id, 0)
            found = measure_variety(renderer, template_id, probe or 2 * planned, gate)
            draws = found.draws_for(planned)
            too_few = found.render_errors > 0 or draws is None or draws * (1 - waste) > planned
            if too_few:
                short.append(template_id)
            cap = known[template_id].max_examples
            table.add_row(
                template_id,
                str(planned),
                "-" if cap is None else str(cap),
                f"{found.distinct}/{found.tried}",
                "-" if found.first_repeat is None else str(found.first_repeat),
                ("[red]" if too_few else "") + ("more" if draws is None else str(draws)),
                str(found.most_rows(waste)),
            )
        out_console().print(table)
        if short:
            raise TemplateError(
                f"{len(short)} template(s) lose more than {waste:.0%} of their draws to "
                f"duplicates or fail to render, first: {short[0]} (add variety, or lower its "
                "max_examples)"
            )
