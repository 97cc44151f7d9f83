/** The reviewer's submissions. Filled from cases.list once the cases channels are in the contract. */
export function CasesScreen() {
  return (
    <main id="main" className="cases-screen" tabIndex={-1}>
      <h1>Submissions</h1>
      <div className="empty-state">
        <p className="empty-title">No submissions yet</p>
        <p>Submissions appear here once imported.</p>
      </div>
    </main>
  );
}
