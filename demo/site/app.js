// The demo sign-up site's own logic, like a real site's: it knows nothing about
// the extension. The phone step asks the server to text a code; the code step
// collects six boxes (moving focus as people type) and checks the code.
const error = (text) => (document.getElementById('error').textContent = text);

const phoneForm = document.getElementById('phone-form');
if (phoneForm) {
  phoneForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const country = document.getElementById('country').value;
    const phone = document.getElementById('phone').value.replace(/\D/g, '');
    if (country !== '+1' || phone.length !== 10) return error('Enter a US mobile number (+1 and 10 digits).');
    const response = await fetch('/api/send-code', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone }) });
    if (!response.ok) return error((await response.json()).error || 'Could not send the code.');
    location.href = `/code.html?phone=${phone}`;
  });
}

const codeForm = document.getElementById('code-form');
if (codeForm) {
  const phone = new URLSearchParams(location.search).get('phone') || '';
  document.getElementById('sent-to').textContent = `We sent a 6-digit code to +1 ${phone}.`;
  const boxes = [...codeForm.querySelectorAll('.boxes input')];
  boxes.forEach((box, i) => {
    box.addEventListener('input', () => {
      box.value = box.value.replace(/\D/g, '').slice(-1);
      if (box.value && boxes[i + 1]) boxes[i + 1].focus();
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Backspace' && !box.value && boxes[i - 1]) boxes[i - 1].focus();
    });
  });
  boxes[0].focus();
  codeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = boxes.map((b) => b.value).join('');
    const response = await fetch('/api/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone, code }) });
    if (!response.ok) return error((await response.json()).error || 'That code is not right.');
    location.href = '/done.html';
  });
}
