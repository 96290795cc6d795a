<?php
/*
 * The SP: SimpleSAMLphp's default-sp auth source. No 'idp' is fixed here: the protected page
 * names the IdP of each sign-in (saml:idp), so one SP trusts all four IdP tenants at once.
 * Logout messages are signed, as IdPs require for Single Logout; the rest are the defaults.
 */
$config = [
    'admin' => ['core:AdminPassword'],
    'default-sp' => [
        'saml:SP',
        'entityID' => null,
        'idp' => null,
        'discoURL' => null,
        'privatekey' => getenv('SP_KEY_FILE'),
        'certificate' => getenv('SP_CERT_FILE'),
        'sign.logout' => true,
    ],
];
