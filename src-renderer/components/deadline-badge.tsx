/** Days to the review deadline, in words and a symbol, not colour alone. */
export function DeadlineBadge({ deadline, daysLeft, overdue }: { deadline: string; daysLeft: number; overdue: boolean }) {
  const soon = !overdue && daysLeft <= 7;
  const text = overdue
    ? `Review overdue by ${Math.abs(daysLeft)} day${Math.abs(daysLeft) === 1 ? '' : 's'} (deadline ${deadline})`
    : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left to the review deadline (${deadline})`;
  return <span className={`deadline${overdue ? ' is-overdue' : soon ? ' is-due-soon' : ''}`}>{text}</span>;
}
