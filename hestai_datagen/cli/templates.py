"""``hestai-datagen templates list|render``: browse and try scenario templates."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hestai_datagen.cli._app import out_console
from hestai_datagen.cli.options import resolve_config
from hestai_datagen.errors import TemplateError
from hestai_datagen.examples.recordings import record_for
from hestai_datagen.examples.render import render_example
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
