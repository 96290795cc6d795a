<?php
/*
 * The IdPs this SP trusts, from the metadata XML each IdP tenant publishes (start.sh saves it
 * in IDP_METADATA_DIR), converted as SimpleSAMLphp's own metadata converter does.
 */
foreach (['okta', 'onelogin', 'entra', 'google'] as $idp) {
    $xml = file_get_contents(getenv('IDP_METADATA_DIR') . "/$idp.xml");
    foreach (\SimpleSAML\Metadata\SAMLParser::parseDescriptorsString($xml) as $entityId => $entity) {
        $metadata[$entityId] = $entity->getMetadata20IdP();
    }
}
