import { COMMANDS, keyLabel } from '../../commands';
import { useApp } from '../../state/store';
import { Menu, type MenuItem } from './Menu';

/** The Commands / Keys menu: every command of the table, with its keys; greyed when it does not apply. */
export function CommandMenu({ buttonClass }: { buttonClass: string }) {
  const items = (): MenuItem[] => {
    let group = '';
    return COMMANDS.map((c) => {
      const section = c.group !== group ? c.group : undefined;
      group = c.group;
      return {
        id: c.id,
        section,
        label: c.label,
        hint: c.keys.map(keyLabel).join(' '),
        disabled: !(c.when?.(useApp) ?? true),
        onSelect: () => c.run(useApp),
      };
    });
  };
  return <Menu label="Commands" items={items} buttonClass={buttonClass} testId="commands-menu" />;
}
