/** Renderer entry: one query client, one React root. Styles come from CSS files only (strict CSP). */
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRwQueryClient } from './api/query-client';
import { App } from './app';
import { installRendererControls } from './controls/install-controls';
import './styles/app.css';
import './styles/admin.css';

// Print and copy guards first: no frame may print and no viewer text may be copied, from the first paint.
installRendererControls(window);

const rootElement = document.getElementById('root');
if (rootElement) {
  const client = createRwQueryClient();
  createRoot(rootElement).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
