<?php
/*
 * The application behind SimpleSAMLphp. /<idp>/... pages are protected: they show who is signed
 * in and the attributes released, or start a sign-in at that IdP. /<idp>/logout signs out
 * (Single Logout), /<idp>/signed-out says so, /<idp>/whoami answers in JSON. / is where an
 * IdP-initiated sign-in without a RelayState lands: it sends the person on to /<idp>/, the home
 * of the IdP they signed in through. Every SAML message goes through
 * SimpleSAMLphp; this page makes no checks of its own.
 */
require_once '/usr/share/simplesamlphp/lib/_autoload.php';

const IDPS = ['okta', 'onelogin', 'entra', 'google'];
$base = 'http://127.0.0.1:' . getenv('SP_PORT');
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
[, $idp, $action] = explode('/', $path, 3) + [null, '', ''];
$as = new \SimpleSAML\Auth\Simple('default-sp');
$h = fn ($s) => htmlspecialchars((string) $s, ENT_QUOTES);

function page(string $title, string $body): void
{
    echo "<!doctype html><html><head><meta charset=\"utf-8\"><title>$title</title></head><body>$body</body></html>";
}

function signedInPage(\SimpleSAML\Auth\Simple $as, string $path, string $idp, callable $h): void
{
    $rows = '';
    foreach ($as->getAttributes() as $name => $values) {
        $rows .= '<tr><th>' . $h($name) . '</th><td>' . $h(json_encode($values)) . '</td></tr>';
    }
    page('Signed in', '<h1>Signed in as ' . $h($as->getAuthData('saml:sp:NameID')->getValue()) . '</h1>'
        . '<p>Page ' . $h($path) . ', through ' . $h($idp) . ".</p><table>$rows</table>"
        . ($idp !== '' ? "<p><a href=\"/$idp/logout\">Sign out</a></p>" : ''));
}

if ($idp === '') {
    // The landing page of an IdP-initiated sign-in without RelayState: the person's home is the
    // pages of the IdP they signed in through.
    if ($as->isAuthenticated()) {
        foreach (IDPS as $key) {
            $file = getenv('IDP_METADATA_DIR') . "/$key.xml";
            if (is_file($file) && (string) simplexml_load_file($file)['entityID'] === $as->getAuthData('saml:sp:IdP')) {
                header("Location: $base/$key/", true, 302);
                exit;
            }
        }
        signedInPage($as, $path, '', $h);
    } else {
        page('Not signed in', '<h1>Not signed in</h1>');
    }
    exit;
}
$metadataFile = getenv('IDP_METADATA_DIR') . "/$idp.xml";
if (!in_array($idp, IDPS, true) || !is_file($metadataFile)) {
    http_response_code(404);
    exit('no such IdP');
}
$idpEntityId = (string) simplexml_load_file($metadataFile)['entityID'];
$signedInHere = $as->isAuthenticated() && $as->getAuthData('saml:sp:IdP') === $idpEntityId;

if ($action === 'signed-out') {
    page('Signed out', '<h1>You have been signed out</h1>');
    exit;
}
if ($action === 'whoami') {
    header('Content-Type: application/json');
    if (!$signedInHere) {
        http_response_code(401);
        exit('{}');
    }
    exit(json_encode(['nameId' => $as->getAuthData('saml:sp:NameID')->getValue(), 'attributes' => $as->getAttributes()]));
}
if ($action === 'logout') {
    $as->logout("$base/$idp/signed-out");
}
if (!$signedInHere) {
    $as->login(['saml:idp' => $idpEntityId, 'ReturnTo' => $base . $_SERVER['REQUEST_URI']]);
}
signedInPage($as, $path, $idp, $h);
