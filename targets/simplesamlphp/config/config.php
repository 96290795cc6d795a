<?php
/*
 * SimpleSAMLphp's configuration for the zoo SP: Debian's defaults (/etc/simplesamlphp/config.php)
 * with what this SP needs on top. start.sh passes SP_PORT and SP_STATE_DIR through Apache.
 */
require '/etc/simplesamlphp/config.php';

$state = getenv('SP_STATE_DIR');
$config['baseurlpath'] = 'http://127.0.0.1:' . getenv('SP_PORT') . '/simplesaml/';
$config['tempdir'] = "$state/tmp";
$config['datadir'] = "$state/data";
$config['loggingdir'] = $state;
$config['logging.handler'] = 'file';
$config['logging.logfile'] = 'simplesamlphp.log';
$config['secretsalt'] = 'idp-harness-zoo-not-a-secret';
$config['auth.adminpassword'] = 'idp-harness-zoo';
$config['technicalcontact_email'] = 'qa@idp-harness.example';
// The zoo runs over plain HTTP on 127.0.0.1.
$config['session.cookie.secure'] = false;
$config['session.cookie.samesite'] = 'Lax';
$config['session.phpsession.savepath'] = "$state/sessions";
$config['metadata.sources'] = [['type' => 'flatfile', 'directory' => __DIR__ . '/metadata']];
