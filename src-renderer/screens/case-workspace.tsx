export function CaseWorkspace({ caseId }: { caseId: string }) {
  return (
    <main id="main" tabIndex={-1}>
      <h1>Case {caseId}</h1>
    </main>
  );
}
