/**
 * The zoo: real third-party SAML service providers, each in targets/<name>/ with its start
 * script, its target file and its checked-in expected results.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const TARGETS_DIR = join(import.meta.dirname, '..');

export interface ZooSp {
  name: string;
  /** The library under test, as reports name it. */
  library: string;
  /** The ports its target file and start script use by default (the runner picks free ones). */
  defaultPorts: { sp: number; idp: number };
  /** What must be on the machine (beyond `npm install`), and the Debian packages that bring it. */
  needs: { files: string[]; debianPackages: string[] };
}

export const ZOO: readonly ZooSp[] = [
  {
    name: 'simplesamlphp',
    library: 'SimpleSAMLphp (Debian simplesamlphp) in Apache with mod_php',
    defaultPorts: { sp: 8401, idp: 7401 },
    needs: {
      files: ['/usr/share/simplesamlphp/lib/_autoload.php', '/usr/sbin/apache2', '/usr/lib/apache2/modules'],
      debianPackages: ['simplesamlphp', 'apache2', 'libapache2-mod-php', 'php-xml', 'php-mbstring'],
    },
  },
  {
    name: 'python3-saml',
    library: 'OneLogin python3-saml (Debian python3-onelogin-saml2)',
    defaultPorts: { sp: 8402, idp: 7402 },
    needs: {
      files: ['/usr/lib/python3/dist-packages/onelogin/saml2/auth.py', '/usr/bin/python3'],
      debianPackages: ['python3-onelogin-saml2'],
    },
  },
  {
    name: 'node-saml',
    library: '@node-saml/node-saml (npm)',
    defaultPorts: { sp: 8403, idp: 7403 },
    needs: { files: [], debianPackages: [] },
  },
  {
    name: 'samlify',
    library: 'samlify (npm) with @authenio/samlify-node-xmllint',
    defaultPorts: { sp: 8404, idp: 7404 },
    needs: { files: [], debianPackages: [] },
  },
];

export const spDir = (sp: ZooSp): string => join(TARGETS_DIR, sp.name);

/** What is missing on this machine to run the SP, as a sentence; undefined when nothing is. */
export function missingFor(sp: ZooSp): string | undefined {
  const missing = sp.needs.files.filter((f) => !existsSync(f));
  if (missing.length === 0) return undefined;
  return `${sp.name} needs ${missing.join(', ')}: apt-get install -y ${sp.needs.debianPackages.join(' ')}`;
}

export function zooSp(name: string): ZooSp {
  const sp = ZOO.find((s) => s.name === name);
  if (!sp) throw new Error(`no zoo SP named ${name} (known: ${ZOO.map((s) => s.name).join(', ')})`);
  return sp;
}
