pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// Pages 2…: one catalogue step (applicant, address, the service's own questions). The keyboard
// follows the field: a Hindi name gets the Hindi layout even in an English session, an English
// name the English one, numbers the number pad. Answers stay in the view-model, so Back, a
// language switch or a scan never loses them.
Item {
    id: page
    objectName: "applyFormPage"
    property real keyboardHeight: 0
    property bool landscape: false

    // -- the keyboard's field: kept in sight with the one after it; Enter moves on ----------
    property Item current: null
    onKeyboardHeightChanged: revealLater.restart()
    // Called later, so it reads `current` then: a property that goes null when its field is
    // destroyed (a new step, the idle wipe), unlike an item handed to Qt.callLater. Timers,
    // not Qt.callLater: a timer goes with the page, a pending call would outlive it (the idle
    // wipe right after a step opened on a focused box).
    Timer { id: revealLater; interval: 0; onTriggered: page.revealCurrent() }
    Timer { id: focusLater; interval: 0; onTriggered: page.focusFirst() }
    function revealCurrent() {
        if (page.current && page.indexOfField(page.current) >= 0)   // not a field of a step gone
            page.reveal(page.current)
    }

    function fieldAfter(item) {
        var seen = false
        for (var i = 0; i < fieldRepeater.count; ++i) {
            var f = fieldRepeater.itemAt(i) as FormField
            if (seen && f && f.visible)
                return f
            if (f === item)
                seen = true
        }
        return null
    }

    // Bring `item` into view with the field after it below it (so the citizen sees where Enter
    // goes), the focused field first when both do not fit above the keyboard.
    function reveal(item) {
        if (!item)
            return
        var p = item.mapToItem(flick.contentItem, 0, 0)
        var top = p.y - 24
        var bottom = p.y + item.height + 24
        var next = page.fieldAfter(item)
        if (next && page.current === item) {
            var q = next.mapToItem(flick.contentItem, 0, 0)
            bottom = Math.max(bottom, Math.min(q.y + next.height + 24, top + flick.height))
        }
        var maxY = Math.max(0, flick.contentHeight - flick.height)
        if (top < flick.contentY)
            flick.contentY = Math.max(0, top)
        else if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(maxY, bottom - flick.height)
    }

    function fieldFocused(item, locale) {
        page.current = item
        revealLater.restart()
    }

    function goNext() {
        Apply.next()
    }

    // Enter: the next text field takes the focus; a choice next is shown with the keyboard put
    // away (its buttons are tapped); after the last field Enter is the step's Next.
    function advanceFrom(item) {
        var next = page.fieldAfter(item)
        if (next === null) {
            page.goNext()
        } else if (next.spec.kind === "choice") {
            var leaving = item as FormField
            KeyboardArea.dismiss()
            page.current = null
            leaving.input.focus = false
            page.reveal(next)
        } else {
            next.input.forceActiveFocus()
        }
    }

    // -- focus follows the form (rules: kiosk/ui/viewmodels/form_focus.py) ------------------
    function fieldFor(key) {
        for (var i = 0; i < fieldRepeater.count; ++i) {
            var f = fieldRepeater.itemAt(i) as FormField
            if (f && f.spec.key === key)
                return f
        }
        return null
    }
    function indexOfField(item) {
        for (var i = 0; i < fieldRepeater.count; ++i)
            if (fieldRepeater.itemAt(i) === item)
                return i
        return -1
    }
    function focusedField() {
        for (var i = 0; i < fieldRepeater.count; ++i) {
            var f = fieldRepeater.itemAt(i) as FormField
            if (f && f.input.activeFocus)
                return f
        }
        return null
    }
    function focusBox(key) {
        var f = page.fieldFor(key)
        if (f && f.input.visible)
            f.input.forceActiveFocus()
    }
    // A step opens on its first empty box, unless the citizen is in a box already or the
    // step came back with errors (then the first error is shown instead).
    function focusFirst() {
        if (!page.visible || page.focusedField() !== null || Apply.firstErrorKey !== "")
            return
        var key = Apply.firstBoxKey()
        if (key !== "")
            page.focusBox(key)
    }
    // An answer finished: a typed one moves on only from its own focused box; a tapped one
    // only when no box after it holds the focus (never away from where the citizen put it).
    function moveOnFrom(key, typed) {
        var own = page.fieldFor(key)
        var focused = page.focusedField()
        if (typed ? (own === null || focused !== own)
                  : (focused !== null && page.indexOfField(focused) > page.indexOfField(own)))
            return
        var next = Apply.nextBoxKey(key)
        if (next !== "")
            page.focusBox(next)
    }

    function revealFirstError() {
        for (var i = 0; i < fieldRepeater.count; ++i) {
            var f = fieldRepeater.itemAt(i) as FormField
            if (f && f.spec.key === Apply.firstErrorKey) {
                page.reveal(f)
                return
            }
        }
        flick.contentY = 0
    }

    // After "Next" finds problems, bring the first one into view (once the fields are laid
    // out: a step shown together with its errors is positioned only on the next polish).
    Timer {
        id: revealTimer
        interval: 60
        onTriggered: page.revealFirstError()
    }
    Connections {
        target: Apply
        function onErrorsChanged() {
            if (Apply.firstErrorKey !== "")
                revealTimer.restart()
        }
        function onFieldsChanged() {
            page.current = null          // the step's fields are built anew
            flick.contentY = 0
            focusLater.restart()
        }
        function onMoveOn(key: string, typed: bool) { page.moveOnFrom(key, typed) }
    }
    Component.onCompleted: {
        if (Apply.firstErrorKey !== "")
            revealTimer.restart()
        focusLater.restart()
    }
    // A page is built hidden (SwapLoader) and shown a few frames later: the step's first box
    // takes the focus when the page comes on display, not while it is built out of sight.
    onVisibleChanged: {
        if (visible)
            focusLater.restart()
    }

    Flickable {
        id: flick
        objectName: "applyFlick"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: nav.top }
        contentHeight: column.implicitHeight + 2 * 28
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        // The fields settle their heights a layout pass later (and an error line comes or
        // goes): the field being typed in is brought back into view, if it left it.
        onContentHeightChanged: revealLater.restart()
        ScrollIndicator.vertical: ScrollIndicator {
            active: true
            visible: flick.contentHeight > flick.height + 1
            contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
        }

        ColumnLayout {
            id: column
            x: Theme.margin
            y: 28
            width: flick.width - 2 * Theme.margin
            spacing: 20

            Text {
                textFormat: Text.PlainText
                objectName: "stepTitle"
                text: Apply.stepTitle
                color: Theme.text
                font.pixelSize: page.landscape ? Theme.largeSize : Theme.headingSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }

            // Scanning the Aadhaar QR fills this step; said plainly whether UIDAI's signature
            // was checked, because unverified data must be compared with the card.
            Rectangle {
                objectName: "aadhaarHint"
                visible: Apply.stepKey === "applicant" && Prefill.prefillStatus === ""
                Layout.fillWidth: true
                Layout.preferredHeight: hintText.implicitHeight + 28
                radius: 14
                color: Theme.blueLight
                Text {
                    textFormat: Text.PlainText
                    id: hintText
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 24; rightMargin: 24 }
                    text: qsTr("Have your Aadhaar card? Hold its QR code under the scanner to fill this in.")
                    color: Theme.blue
                    font.pixelSize: Theme.smallSize
                    wrapMode: Text.WordWrap
                }
            }
            Rectangle {
                id: prefillBanner
                objectName: "prefillBanner"
                visible: Prefill.prefillStatus !== ""
                readonly property bool good: Prefill.prefillStatus === "verified"
                Layout.fillWidth: true
                Layout.preferredHeight: prefillCol.implicitHeight + 32
                radius: 14
                color: good ? Theme.greenLight : Theme.saffronLight
                border.width: 3
                border.color: good ? Theme.green : Theme.saffron
                RowLayout {
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 24; rightMargin: 24 }
                    spacing: 18
                    Icon {
                        name: prefillBanner.good ? "check" : "warning"
                        color: prefillBanner.good ? Theme.green : "#8A4500"
                        Layout.preferredWidth: 56
                        Layout.preferredHeight: 56
                        Layout.alignment: Qt.AlignTop
                    }
                    ColumnLayout {
                        id: prefillCol
                        spacing: 4
                        Layout.fillWidth: true
                        Text {
                            textFormat: Text.PlainText
                            objectName: "prefillText"
                            text: Prefill.prefillText
                            color: prefillBanner.good ? Theme.green : "#7A3A00"
                            font.pixelSize: Theme.bodySize
                            font.weight: Font.Bold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Text {
                            textFormat: Text.PlainText
                            visible: Prefill.prefillTextOther !== Prefill.prefillText
                            text: Prefill.prefillTextOther
                            color: prefillBanner.good ? Theme.green : "#7A3A00"
                            font.pixelSize: Theme.smallSize
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                }
            }
            Rectangle {
                objectName: "formMessage"
                visible: Apply.formMessage !== ""
                Layout.fillWidth: true
                Layout.preferredHeight: msgCol.implicitHeight + 28
                radius: 14
                color: Theme.dangerLight
                border.width: 3
                border.color: Theme.danger
                ColumnLayout {
                    id: msgCol
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 24; rightMargin: 24 }
                    spacing: 2
                    Text {
                        textFormat: Text.PlainText
                        text: Apply.formMessage
                        color: Theme.danger
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: Apply.formMessageOther
                        color: Theme.danger
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                }
            }

            GridLayout {
                columns: page.landscape ? 2 : 1
                columnSpacing: 40
                rowSpacing: 24
                Layout.fillWidth: true
                Repeater {
                    id: fieldRepeater
                    model: Apply.fields
                    FormField {
                        required property var modelData
                        spec: modelData
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        onFocused: (item, locale) => page.fieldFocused(item, locale)
                        onAdvance: item => page.advanceFrom(item)
                    }
                }
            }
        }
    }

    ApplyNavBar {
        id: nav
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                  bottomMargin: page.keyboardHeight }
        compact: page.landscape && page.keyboardHeight > 0
        nextText: Apply.returnsToReview ? qsTr("Back to the review") : qsTr("Next")
        onBackClicked: Apply.back()
        onNextClicked: page.goNext()
    }
}
