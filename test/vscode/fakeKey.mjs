// The API key the extension-host suite stores for its fake provider. Distinctive, so that the runner can search
// every file the run left behind (logs, settings, conversation storage) and prove the key was never written out.
export const FAKE_KEY = 'sk-omni-suite-5e2b9a71c4';
