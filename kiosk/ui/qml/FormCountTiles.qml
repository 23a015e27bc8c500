pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A small count (catalogue "number" with a small max: family members) as tiles 1…9 and
// "10 or more": one tap instead of a tap on a box and a digit. A tile writes the number into
// the field's box, so the box stays the one answer; "10 or more" shows the box with the digits
// keyboard (it is shown from the start when the answer is 10 or more already).
ColumnLayout {
    id: tiles
    property var spec: ({})
    property TextField input: null
    readonly property var numbers: spec.tiles ?? []
    readonly property bool active: numbers.length > 0
    readonly property string answer: Apply.answers[spec.key] ?? ""
    property bool typing: active && answer !== "" && numbers.indexOf(Number(answer)) < 0
    visible: active
    spacing: 12

    // The box is hidden while the tiles are the way to answer.
    Binding {
        target: tiles.input
        property: "visible"
        value: false
        when: tiles.active && !tiles.typing
    }

    Flow {
        Layout.fillWidth: true
        spacing: 14
        Repeater {
            model: tiles.numbers
            KioskButton {
                required property int modelData
                objectName: "count_" + tiles.spec.key + "_" + modelData
                text: String(modelData)
                textSize: Theme.largeSize
                checked: !tiles.typing && tiles.answer === String(modelData)
                kind: checked ? "primary" : "secondary"
                width: Math.min(implicitWidth, tiles.width)
                onClicked: {
                    tiles.typing = false
                    if (tiles.input !== null)
                        tiles.input.text = String(modelData)
                    Apply.answeredByTap(tiles.spec.key)
                }
            }
        }
        KioskButton {
            objectName: "count_" + tiles.spec.key + "_more"
            visible: tiles.spec.tilesMore ?? false
            text: qsTr("10 or more")
            textSize: Theme.largeSize
            checked: tiles.typing
            kind: checked ? "primary" : "secondary"
            width: Math.min(implicitWidth, tiles.width)   // one line, as wide as its words
            onClicked: {
                if (tiles.input === null)
                    return
                if (!tiles.typing)
                    tiles.input.text = ""
                tiles.typing = true
                tiles.input.forceActiveFocus()
            }
        }
    }
}
