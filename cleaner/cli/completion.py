"""``cleaner completion SHELL``: a completion script for bash, zsh or fish, drawn from the command line's own
parser, so it offers exactly the commands, options and choices ``--help`` lists. Options that take a rule id
(``--disable``, ``--rule``, ``rules show``) complete the shipped rule ids; options that take a path complete
file names."""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass, field

from cleaner.cli.common import EXIT_OK
from cleaner.cli.options import SHELLS, commands_of, options_of

__all__ = ["SHELLS", "Command", "command_tree", "render", "run_completion"]

#: options whose value is a rule id
_RULE_ID_OPTIONS = ("--disable", "-d", "--rule")


@dataclass
class Command:
    """One command (``clean``, ``rules show`` ...): its options, the choices of those that have them, the
    options that take a value, and its own commands."""

    path: tuple[str, ...]
    help: str = ""
    options: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)
    takes_value: list[str] = field(default_factory=list)
    commands: dict[str, Command] = field(default_factory=dict)
    #: whether its positional argument is a rule id (``rules show ID``)
    rule_argument: bool = False


def command_tree(parser: argparse.ArgumentParser, path: tuple[str, ...] = (), help: str = "") -> Command:
    """The commands and options of a parser, as the completion scripts need them."""
    command = Command(path, help)
    for action in options_of(parser):
        if not action.option_strings:
            command.rule_argument = command.rule_argument or action.dest == "rule_id"
            continue
        command.options += action.option_strings
        if action.nargs != 0:
            command.takes_value += action.option_strings
            if action.choices is not None:
                for name in action.option_strings:
                    command.choices[name] = [str(c) for c in action.choices]
    helps = _command_helps(parser)
    for name, sub in commands_of(parser).items():
        command.commands[name] = command_tree(sub, (*path, name), helps.get(name, ""))
    return command


def _command_helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    """The one-line help of each command, as ``cleaner --help`` lists it."""
    helps: dict[str, str] = {}
    for action in parser._actions:
        for choice in getattr(action, "_choices_actions", []):  # argparse keeps command helps here
            helps[choice.dest] = choice.help or ""
    return helps


def _walk(command: Command) -> list[Command]:
    return [command, *(c for sub in command.commands.values() for c in _walk(sub))]


def render(shell: str, root: Command, rule_ids: list[str]) -> str:
    """The completion script for ``shell``."""
    if shell == "fish":
        return _fish(root, rule_ids)
    script = _bash(root, rule_ids)
    if shell == "zsh":  # zsh runs bash completion functions through its bashcompinit
        return "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script
    return script


def _bash(root: Command, rule_ids: list[str]) -> str:
    paths = "|".join(shlex.quote(" ".join(c.path)) for c in _walk(root) if c.path)
    cases = "".join(_bash_case(command) for command in _walk(root))
    return f"""# bash completion for cleaner (cleaner completion bash)
_cleaner() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  local rules={shlex.quote(" ".join(rule_ids))}
  local path="" candidate word words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${{COMP_WORDS[i]}}"
    [[ $word == -* ]] && continue
    candidate="${{path:+$path }}$word"
    case "$candidate" in {paths}) path="$candidate";; esac
  done
  case "$path" in
{cases}  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -o bashdefault -F _cleaner cleaner
"""


def _bash_case(command: Command) -> str:
    """The bash ``case`` branch of one command: values of the option just typed, else its words."""
    values = [
        f'        {option}) COMPREPLY=($(compgen -W {shlex.quote(" ".join(choices))} -- "$cur")); return;;\n'
        for option, choices in command.choices.items()
    ]
    rule_options = "|".join(o for o in command.takes_value if o in _RULE_ID_OPTIONS)
    if rule_options:
        values.append(f'        {rule_options}) COMPREPLY=($(compgen -W "$rules" -- "$cur")); return;;\n')
    paths = "|".join(o for o in command.takes_value if o not in command.choices and o not in _RULE_ID_OPTIONS)
    if paths:
        values.append(f'        {paths}) COMPREPLY=($(compgen -f -- "$cur")); return;;\n')
    if command.rule_argument:
        argument = '      [[ $cur != -* ]] && { COMPREPLY=($(compgen -W "$rules" -- "$cur")); return; }\n'
    elif command.path and not command.commands:
        argument = '      [[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; }\n'
    else:
        argument = ""
    words = shlex.quote(" ".join([*command.commands, *command.options]))
    head = f"    {shlex.quote(' '.join(command.path))})\n"
    return head + '      case "$prev" in\n' + "".join(values) + f"      esac\n{argument}      words={words}\n      ;;\n"


def _fish(root: Command, rule_ids: list[str]) -> str:
    lines = ["# fish completion for cleaner (cleaner completion fish)", "complete -c cleaner -f"]
    for command in _walk(root):
        if command.path:
            parent = command.path[:-1]
            lines.append(
                f"complete -c cleaner -n {shlex.quote(_fish_at(parent, root))} -a {command.path[-1]}"
                f" -d {shlex.quote(command.help)}"
            )
        at = shlex.quote(_fish_at(command.path, root))
        for option in command.options:
            if not option.startswith("--"):
                continue
            flag = f"-l {option[2:]}"
            if option in command.choices:
                values = shlex.quote(" ".join(command.choices[option]))
                lines.append(f"complete -c cleaner -n {at} {flag} -x -a {values}")
            elif option in _RULE_ID_OPTIONS:
                lines.append(f"complete -c cleaner -n {at} {flag} -x -a {shlex.quote(' '.join(rule_ids))}")
            elif option in command.takes_value:
                lines.append(f"complete -c cleaner -n {at} {flag} -r -F")
            else:
                lines.append(f"complete -c cleaner -n {at} {flag}")
        if command.rule_argument:
            lines.append(f"complete -c cleaner -n {at} -x -a {shlex.quote(' '.join(rule_ids))}")
        elif command.path and not command.commands:
            lines.append(f"complete -c cleaner -n {at} -F")
    return "\n".join(lines) + "\n"


def _fish_at(path: tuple[str, ...], root: Command) -> str:
    """The fish condition for "the command line is at ``path``"."""
    if not path:
        return "__fish_use_subcommand"
    conditions = [f"__fish_seen_subcommand_from {word}" for word in path]
    node = root
    for word in path:
        node = node.commands[word]
    if node.commands:
        conditions.append("not __fish_seen_subcommand_from " + " ".join(node.commands))
    return "; and ".join(conditions)


def run_completion(args: argparse.Namespace) -> int:
    """``cleaner completion SHELL``: print the script."""
    from cleaner.cli.parser import build_parser
    from cleaner.rulefile import load_rules

    rule_ids = [rule.id for rule in load_rules()]
    sys.stdout.write(render(args.shell, command_tree(build_parser()), rule_ids))
    return EXIT_OK
