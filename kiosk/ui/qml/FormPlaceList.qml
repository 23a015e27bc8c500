pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// Under a place field of the form (district, tehsil, village): the places to tap instead of
// typing, as big tiles — the kiosk's own district (and "All districts"), the chosen district's
// tehsils, the post offices of the district that begin with the letters typed (with their
// PIN). A tap writes the name into the field's box, so the box stays the one answer and free
// text stays allowed. A district or tehsil already chosen (the kiosk's own, chosen when the
// step opens) stays on its tile, marked, with the others a tap away. Also shows an answer the
// kiosk filled in itself (the PIN from the place).
ColumnLayout {
    id: list
    property var spec: ({})
    property TextField input: null
    readonly property var choices: Apply.placeChoices[spec.key] ?? []
    readonly property bool anyChosen: choices.some(c => c.chosen)
    readonly property bool allButton: spec.places === "district" && !Apply.placesShowAll
                                      && input !== null && (input.text === "" || anyChosen)
    visible: spec.places !== "" && (choices.length > 0 || allButton)
    spacing: 12

    Connections {
        target: Apply
        function onAnswerPushed(key: string, value: string) {
            if (key === list.spec.key && list.input !== null && list.input.text !== value)
                list.input.text = value
        }
    }

    Flow {
        Layout.fillWidth: true
        spacing: 14
        Repeater {
            model: list.choices
            KioskButton {
                required property var modelData
                objectName: "place_" + list.spec.key + "_" + modelData.value
                readonly property bool chosen: modelData.chosen
                kind: chosen ? "primary" : "secondary"
                iconName: chosen ? "check" : ""
                textSize: Theme.bodySize
                text: modelData.label
                subText: modelData.detail !== "" ? qsTr("PIN %1").arg(modelData.detail) : ""
                width: Math.min(implicitWidth, list.width)
                onClicked: {
                    if (list.input === null)
                        return
                    list.input.text = modelData.value
                    // a district or tehsil leads on to the next empty box; a village filled
                    // the PIN too, and the optional house number is left to the citizen
                    if (list.spec.places !== "village")
                        Apply.answeredByTap(list.spec.key)
                }
            }
        }
        KioskButton {
            objectName: "placesAll_" + list.spec.key
            visible: list.allButton
            kind: "ghost"
            textSize: Theme.bodySize
            text: qsTr("All districts")
            width: Math.min(implicitWidth, list.width)
            onClicked: Apply.showAllPlaces()
        }
    }
}
