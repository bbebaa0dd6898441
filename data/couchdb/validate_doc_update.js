function (newDoc, oldDoc, userCtx, secObj) {
  /* Buurtboek hub rule: a council may change only the documents whose
   * origin is that council. A council's CouchDB user carries the role
   * "council:<council id>" (buurtboek-cli info shows the id); region
   * admins (server or database admins) and users with the role
   * "coordinator" may change everything. ES5 only: CouchDB's JavaScript
   * engine (SpiderMonkey or QuickJS) runs this. */
  var roles = (userCtx && userCtx.roles) || [];
  var name = userCtx ? userCtx.name : null;
  var sec = secObj || {};
  var admins = sec.admins || {};
  var i;

  function has(list, value) {
    if (!list) {
      return false;
    }
    for (var k = 0; k < list.length; k++) {
      if (list[k] === value) {
        return true;
      }
    }
    return false;
  }

  function originOf(doc) {
    if (doc && typeof doc.origin === 'object' && doc.origin !== null &&
        typeof doc.origin.council_id === 'string' && doc.origin.council_id !== '') {
      return doc.origin.council_id;
    }
    return null;
  }

  if (!name) {
    throw ({unauthorized: 'Log in with the user name and password of your council.'});
  }

  if (has(roles, '_admin') || has(admins.names, name)) {
    return;
  }
  for (i = 0; i < roles.length; i++) {
    if (has(admins.roles, roles[i])) {
      return;
    }
  }

  if (newDoc._id.indexOf('_design/') === 0) {
    throw ({forbidden: 'Only the region admin may change design documents.'});
  }

  if (has(roles, 'coordinator')) {
    return;
  }

  function mayChange(councilId) {
    return councilId !== null && has(roles, 'council:' + councilId);
  }

  var oldOrigin = oldDoc && !oldDoc._deleted ? originOf(oldDoc) : null;
  var newOrigin = originOf(newDoc);

  if (newDoc._deleted) {
    /* A tombstone carries no body. Deleting needs the right to the version
     * it deletes; a tombstone with no stored previous version removes
     * nothing and is accepted. */
    if (oldDoc && !oldDoc._deleted && !mayChange(oldOrigin)) {
      throw ({forbidden: 'Document ' + newDoc._id + ' belongs to another council; only that council may delete it.'});
    }
    return;
  }

  if (newOrigin === null) {
    throw ({forbidden: 'Document ' + newDoc._id + ' has no origin.council_id; the hub only takes library documents with their origin.'});
  }
  if (!mayChange(newOrigin)) {
    throw ({forbidden: 'Document ' + newDoc._id + ' belongs to council ' + newOrigin + '; only that council may store it here.'});
  }
  if (oldOrigin !== null && oldOrigin !== newOrigin) {
    throw ({forbidden: 'Document ' + newDoc._id + ' belongs to council ' + oldOrigin + '; its origin cannot be changed.'});
  }
}
