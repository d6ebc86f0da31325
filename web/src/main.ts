import { startApp } from './view/app.ts';

startApp().catch((error: unknown) => {
  console.error(error);
  const notice = document.getElementById('notice');
  if (notice !== null) {
    notice.hidden = false;
    notice.textContent = `The page failed to start: ${String(error)}`;
  }
});
