import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// A big selectable row for the wizard: form choices, "I have this document", delivery, consent.
// `checked` is bound by the page from the view-model (taps only call the view-model), and the
// mark (round for one-of-many, square for a checkbox) says which kind of choice it is.
AbstractButton {
    id: toggle
    property string subText: ""
    property string trailing: ""          // e.g. "+ ₹15.00" on a delivery option
    property bool square: false
    property int textSize: Theme.bodySize
    readonly property bool touchTarget: true
    implicitHeight: Math.max(96, content.implicitHeight + 28)
    implicitWidth: content.implicitWidth + 56
    focusPolicy: Qt.NoFocus
    Accessible.name: text
    Accessible.checkable: true
    Accessible.checked: checked

    background: Rectangle {
        radius: 18
        color: toggle.checked ? Theme.blueLight : Theme.card
        border.width: toggle.checked ? 4 : 2
        border.color: toggle.checked ? Theme.blue : (toggle.down ? Theme.saffron : Theme.border)
    }

    contentItem: Item {
        implicitWidth: content.implicitWidth
        implicitHeight: content.implicitHeight
        RowLayout {
            id: content
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: 24
            anchors.rightMargin: 24
            spacing: 18
            Rectangle {
                Layout.preferredWidth: 44
                Layout.preferredHeight: 44
                Layout.alignment: Qt.AlignVCenter
                radius: toggle.square ? 8 : 22
                color: toggle.checked ? Theme.blue : Theme.card
                border.width: 3
                border.color: toggle.checked ? Theme.blue : Theme.muted
                FormTick {
                    visible: toggle.checked
                    anchors.centerIn: parent
                    width: 40; height: 40
                    color: "white"
                }
            }
            ColumnLayout {
                spacing: 2
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    text: toggle.text
                    color: Theme.text
                    font.pixelSize: toggle.textSize
                    font.weight: toggle.checked ? Font.Bold : Font.Normal
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    visible: toggle.subText !== ""
                    text: toggle.subText
                    color: Theme.muted
                    font.pixelSize: Theme.smallSize
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
            }
            Text {
                textFormat: Text.PlainText
                visible: toggle.trailing !== ""
                text: toggle.trailing
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.weight: Font.DemiBold
                Layout.alignment: Qt.AlignVCenter
            }
        }
    }
}
