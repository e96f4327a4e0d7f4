// How the public is told that a release went out before every approval (break glass): the
// status page and its Atom feed say it in the same words.
export const BREAK_GLASS_MARK = 'released before every approval (emergency)';
