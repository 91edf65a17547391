/**
 * The code widgets of component libraries, one fixture page each (tests/fixtures/pages/<name>,
 * built from the real npm package pinned in package.json). Plain data, no Playwright: the
 * page-level spec (autofill-pages.spec.ts) and the extension spec in both browsers
 * (both/widgets.spec.ts) run this one list.
 */
export interface WidgetPage {
  /** Folder under tests/fixtures/pages, served at /<name>/. */
  name: string;
  /** The component, as its library names it. */
  library: string;
  /** The npm package it comes from (its version is the one package.json pins). */
  pkg: string;
  framework: 'React' | 'Vue' | 'Svelte' | 'Angular';
  /** What its DOM is like: the shape the fill has to cope with. */
  proves: string;
  /** The page's submit button. */
  submit: string;
  /** Where a person clicks before typing the code (a CSS selector). */
  startAt: string;
}

export const WIDGET_PAGES: WidgetPage[] = [
  { name: 'antd-otp', library: 'Ant Design Input.OTP', pkg: 'antd', framework: 'React', submit: 'Verify', startAt: 'input[aria-label="OTP Input 1"]', proves: 'six boxes without maxlength; onChange fires once all hold a digit' },
  { name: 'mantine-pin', library: 'Mantine PinInput', pkg: '@mantine/core', framework: 'React', submit: 'Continue', startAt: '.mantine-PinInput-input', proves: 'six type=tel boxes with autocomplete=one-time-code and a hidden form input' },
  { name: 'chakra-pin', library: 'Chakra UI PinInput', pkg: '@chakra-ui/react', framework: 'React', submit: 'Confirm', startAt: 'input[data-part=input]', proves: 'six boxes beside an aria-hidden 1-px input that holds the whole code' },
  { name: 'radix-otp-field', library: 'Radix OneTimePasswordField', pkg: '@radix-ui/react-one-time-password-field', framework: 'React', submit: 'Continue', startAt: 'input[data-radix-otp-input]', proves: 'a first box with maxlength=6 and autocomplete=one-time-code, then maxlength=1 boxes, all tabindex=-1 (roving)' },
  { name: 'primereact-otp', library: 'PrimeReact InputOtp', pkg: 'primereact', framework: 'React', submit: 'Verify', startAt: '.p-inputotp-input', proves: 'six boxes without maxlength, Lara theme' },
  { name: 'mui-otp', library: 'MuiOtpInput', pkg: 'mui-one-time-password-input', framework: 'React', submit: 'Sign in', startAt: '.MuiInputBase-input', proves: 'six Material UI type=number fields about 180 px wide each' },
  { name: 'react-verification-input', library: 'VerificationInput', pkg: 'react-verification-input', framework: 'React', submit: 'Continue', startAt: '.vi__container', proves: 'one transparent input over six drawn characters' },
  { name: 'primevue-otp', library: 'PrimeVue InputOtp', pkg: 'primevue', framework: 'Vue', submit: 'Verify', startAt: '.p-inputotp-input', proves: 'six boxes without maxlength in styled mode (Aura theme), v-model' },
  { name: 'vuetify-otp', library: 'Vuetify VOtpInput', pkg: 'vuetify', framework: 'Vue', submit: 'Continue', startAt: '.v-otp-input__field', proves: 'six aria-hidden, pointer-events:none boxes drawn over one transparent real input' },
  { name: 'naive-otp', library: 'Naive UI NInputOtp', pkg: 'naive-ui', framework: 'Vue', submit: 'Verify', startAt: '.n-input__input-el', proves: 'boxes wrapped four levels deep, v-model:value as an array' },
  { name: 'reka-pin', library: 'Reka UI PinInput', pkg: 'reka-ui', framework: 'Vue', submit: 'Verify', startAt: 'input[aria-label="pin input 1 of 6"]', proves: 'six boxes and an aria-hidden 1-px input off the corner' },
  { name: 'bits-pin', library: 'bits-ui PinInput', pkg: 'bits-ui', framework: 'Svelte', submit: 'Verify', startAt: '[data-pin-input-input]', proves: 'one transparent input over cells the app draws' },
  { name: 'ng-otp-input', library: 'ng-otp-input', pkg: 'ng-otp-input', framework: 'Angular', submit: 'Verify', startAt: 'input.otp-input', proves: 'Angular 21 compiled just in time, zoneless, reactive forms: six boxes, state from the (onInputChange) output' },
];
