pragma Singleton
import QtQuick

// Between the screens and the kiosk's on-screen keyboard (KioskKeyboard, kept by Main.qml).
// The keyboard shows while an editable text box has the focus; what a screen needs from it:
// - `height`: how much of the window's bottom it covers now (0 when none shows), for the pages
//   that keep their buttons and the focused field above it;
// - `dismiss()`: put it away (the text box loses the focus; a tap on it brings both back);
// - `claim(box, …)`: a form field says what it is when it takes the focus — its script, a
//   money amount (the pad gets 000), a name (chips with names above the keys) and the names
//   typed in the form's other name fields (their surname is offered first). A box that claims
//   nothing gets the keyboard its input-method hints and the session's language say.
QtObject {
    id: area
    property real height: 0

    // What the focused form field said about itself; read only while `owner` has the focus.
    property Item owner: null
    property string locale: ""          // "hi_IN" / "en_US", or "" for the session's
    property bool fixedScript: false    // no language key: the Hindi name takes Devanagari only
    property bool money: false
    property bool names: false
    property var family: []

    signal dismissRequested()

    function dismiss() {
        area.dismissRequested()
    }

    function claim(box: Item, boxLocale: string, isFixed: bool, isMoney: bool, isName: bool,
                   familyNames: var) {
        area.locale = boxLocale
        area.fixedScript = isFixed
        area.money = isMoney
        area.names = isName
        area.family = familyNames
        area.owner = box
    }
}
